// Surnames known from other cables. Extraction reads one cable at a time and misses a surname
// written alone with nothing around it to say it names a person ("pressuring Ahmadinejad over
// his failing economic policy"). Once extraction has found a surname as a person's in several
// cables, every cable that writes that surname alone also names a person: such a cable gets a
// derived person record (local index DERIVED_LOCAL_INDEX and up) with a mention at each place,
// and resolution then attaches it like any bare surname.
//
// The derived records are a function of the extracted records and the cable texts only, never of
// the order cables arrive in: a batch derives records in its own cables for every known surname,
// and when a surname becomes known (or its written forms change) the cables that write it are
// found among the standalone names stored for every cable (table standalone_name) and derived again.
import { sql, type Kysely, type Transaction } from 'kysely';

import { cableStandaloneNames, type LocatedStandaloneName } from '../../extract/entities/standalone-names.ts';
import type { Database } from '../schema.ts';
import {
  cablePersonIds,
  insertMentions,
  insertPersonRecords,
  intArray,
  type NewPersonRecord,
  type PendingMention,
} from '../write-graph.ts';
import { nameParts } from './name-keys.ts';

/** cable_person rows at or above this local index are derived from other cables, not extracted. */
export const DERIVED_LOCAL_INDEX = 30_000;
/** A surname extraction found as a person's in at least this many cables is known as a name. */
export const KNOWN_IN_CABLES = 3;

/** The parts of write-graph's batch state this stage reads and adds to. */
export interface KnownSurnameState {
  surnameKeys: Set<string>;
  persons: Set<number>;
  /** Cables written in this batch. */
  uncounted: Set<number>;
  /** Mentions of the batch's cables, not yet inserted. */
  pending: PendingMention[];
  /** Person records of the batch's cables, not yet inserted (derived ones join them). */
  newPersons: NewPersonRecord[];
  /**
   * The paragraphs of the batch's cables, from the records being written: read from memory rather
   * than back from the table, for cables without standaloneNames; a cable missing from both has its
   * paragraphs read from the table.
   */
  paragraphs: ParagraphText[];
  /** The standalone names of the batch's cables, found with their extraction (see cableStandaloneNames). */
  standaloneNames: Map<number, Hit[]>;
}

export interface KnownSurnameDeps {
  personKind: number;
  /** Keeps the edge table exact across a change to the mentions of already counted cables. */
  withEdgeEvidence: (trx: Transaction<Database>, cableIds: number[], change: () => Promise<void>) => Promise<void>;
}

interface SurnameFacts {
  /** Cables with an extracted record of the surname. */
  cables: number;
  /** Of those, cables extracted before this batch (their records are stored already). */
  cablesBefore: number;
  /** Some record gives the surname with a given name or a title: a bare surname alone is weak evidence. */
  strong: boolean;
  strongBefore: boolean;
  forms: Set<string>;
  formsBefore: Set<string>;
  /**
   * Cables known to hold an extracted record of the surname: the batch's own, and the other cables
   * read for a surname whose standing changed. Only those are ever asked about.
   */
  holders: Set<number>;
}

type Hit = LocatedStandaloneName;

/** Appends to the list kept under `key`. */
function push<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, values);
}

interface Derived {
  cableId: number;
  surnameKey: string;
  name: string;
  aliases: string[];
  hits: Hit[];
}

export interface ParagraphText {
  cable_id: number;
  position: number;
  span_start: number;
  text: string;
}

/** The standalone names of some paragraphs, by cable, outside the spans each cable's extraction occupies. */
function namesByCable(paragraphs: ParagraphText[], occupiedSpans: Map<number, { start: number; end: number }[]>): Map<number, Hit[]> {
  const byCable = new Map<number, { position: number; start: number; text: string }[]>();
  for (const p of paragraphs) push(byCable, p.cable_id, { position: p.position, start: p.span_start, text: p.text });
  const names = new Map<number, Hit[]>();
  for (const [cableId, texts] of byCable) names.set(cableId, cableStandaloneNames(texts, occupiedSpans.get(cableId) ?? []));
  return names;
}

/** The surname forms a person record gives: the last word of its name and aliases, lower-cased. */
function surnameForms(surnameKey: string, names: string[]): string[] {
  const forms: string[] = [];
  for (const name of names) {
    const last = name
      .trim()
      .split(/\s+/)
      .pop()
      ?.replace(/['’]s$/i, '')
      .toLowerCase();
    if (last && nameParts(last).surname === surnameKey) forms.push(last);
  }
  return forms;
}

const surnameKeys = new Map<string, string>();

/** The surname key of a word written alone, remembered: the same words recur in every batch. */
function surnameKeyOf(word: string): string {
  let key = surnameKeys.get(word);
  if (key === undefined) {
    if (surnameKeys.size > 100_000) surnameKeys.clear();
    surnameKeys.set(word, (key = nameParts(word).surname));
  }
  return key;
}

function isKnown(facts: SurnameFacts | undefined): facts is SurnameFacts {
  return !!facts && facts.cables >= KNOWN_IN_CABLES && facts.strong;
}

function wasKnown(facts: SurnameFacts): boolean {
  return facts.cablesBefore >= KNOWN_IN_CABLES && facts.strongBefore;
}

/** Groups a cable's standalone names by the known surname they write, when the cable has no record of it. */
function deriveInCable(cableId: number, names: Hit[], facts: Map<string, SurnameFacts>, only: Set<string> | null): Derived[] {
  const bySurname = new Map<string, Hit[]>();
  for (const name of names) {
    const key = surnameKeyOf(name.text);
    if (only && !only.has(key)) continue;
    const known = facts.get(key);
    if (!isKnown(known) || known.holders.has(cableId) || !known.forms.has(name.form)) continue;
    push(bySurname, key, name);
  }
  return [...bySurname].map(([surnameKey, hits]) => {
    // The name as the text writes it most plainly: mixed case before upper case, first seen first.
    const written = [...new Set(hits.map((h) => h.text))];
    const name = written.find((w) => w !== w.toUpperCase()) ?? written[0]!;
    return { cableId, surnameKey, name, aliases: written.filter((w) => w !== name), hits };
  });
}

/** Stores the standalone names of some cables, with their surname keys (ingest, and migration 0008). */
export async function insertStandaloneNames(db: Kysely<Database>, names: Map<number, Hit[]>): Promise<void> {
  const rows = {
    cable: [] as number[],
    paragraph: [] as number[],
    start: [] as number[],
    end: [] as number[],
    text: [] as string[],
    key: [] as string[],
  };
  for (const [cableId, hits] of names) {
    for (const hit of hits) {
      rows.cable.push(cableId);
      rows.paragraph.push(hit.paragraph);
      rows.start.push(hit.start);
      rows.end.push(hit.end);
      rows.text.push(hit.text);
      rows.key.push(surnameKeyOf(hit.text));
    }
  }
  if (rows.cable.length === 0) return;
  await sql`
    insert into standalone_name (cable_id, paragraph, span_start, span_end, text, surname_key)
    select * from unnest(${intArray(rows.cable)}::int[], ${intArray(rows.paragraph)}::smallint[], ${intArray(rows.start)}::int[],
                         ${intArray(rows.end)}::int[], ${rows.text}::text[], ${rows.key}::text[])
  `.execute(db);
}

/**
 * Derives person records for known surnames written alone: in the batch's cables for every known
 * surname, and in all cables for the surnames whose standing changed with the batch. Adds the
 * surname keys whose records changed to `touched`, for resolution to cluster them.
 */
export async function deriveKnownSurnames(trx: Transaction<Database>, touched: KnownSurnameState, deps: KnownSurnameDeps): Promise<void> {
  const batch = [...touched.uncounted];
  // The batch's standalone names: found with its extraction, or here, for cables that came without
  // them (written by hand, not by ingest), from their paragraphs (in memory, or read back) outside
  // their mentions. Stored, for a surname that becomes known later to find the cables writing it.
  const batchNames = new Map<number, Hit[]>();
  for (const id of batch) {
    const names = touched.standaloneNames.get(id);
    if (names) batchNames.set(id, names);
  }
  const missing = new Set(batch.filter((id) => !batchNames.has(id)));
  if (missing.size) {
    const inMemory = new Set(touched.paragraphs.map((p) => p.cable_id));
    const unread = [...missing].filter((id) => !inMemory.has(id));
    const paragraphs: ParagraphText[] = [
      ...touched.paragraphs.filter((p) => missing.has(p.cable_id)),
      ...(unread.length
        ? await trx.selectFrom('paragraph').select(['cable_id', 'position', 'span_start', 'text']).where('cable_id', 'in', unread).execute()
        : []),
    ];
    const occupied = new Map<number, { start: number; end: number }[]>();
    for (const m of touched.pending) if (missing.has(m.cableId)) push(occupied, m.cableId, m);
    for (const [id, names] of namesByCable(paragraphs, occupied)) batchNames.set(id, names);
  }
  await insertStandaloneNames(trx, batchNames);
  const keys = new Set(touched.surnameKeys);
  for (const names of batchNames.values()) for (const name of names) keys.add(surnameKeyOf(name.text));
  if (keys.size === 0) return;

  // What extraction knows of each surname, now and before the batch: cables per surname, and each
  // distinct way a record writes it, kept per surname as records come and go (migration 0014; a
  // common surname has thousands of records). The batch's own records are in memory, in cables
  // with none stored (a rewritten cable's old records are gone by now): every stored record is
  // from before the batch, whether its block has been clustered yet or, in an ingest that clusters
  // once per run, not.
  const keyList = [...keys];
  const counts = await trx
    .selectFrom('surname_cables')
    .select(['surname_key', 'cables'])
    .where('surname_key', '=', sql<string>`any(${keyList}::text[])`)
    .execute();
  const writings = await trx
    .selectFrom('surname_writing')
    .select(['surname_key', 'name', 'aliases', 'titled', 'derived'])
    .where('surname_key', '=', sql<string>`any(${keyList}::text[])`)
    .execute();
  const facts = new Map<string, SurnameFacts>();
  const factsOf = (key: string) => {
    let f = facts.get(key);
    if (!f) {
      f = { cables: 0, cablesBefore: 0, strong: false, strongBefore: false, forms: new Set(), formsBefore: new Set(), holders: new Set() };
      facts.set(key, f);
    }
    return f;
  };
  for (const row of counts) {
    const f = factsOf(row.surname_key);
    f.cables += row.cables;
    f.cablesBefore += row.cables;
  }
  /** How records of a surname derived from other cables write it (names and aliases, lower-cased). */
  const derivedWritings = new Map<string, string[]>();
  const addWriting = (key: string, name: string, aliases: string[], titled: boolean, stored: boolean) => {
    const f = factsOf(key);
    const forms = surnameForms(key, [name, ...aliases]);
    const strong = titled || nameParts(name).given !== '';
    if (strong) f.strong = true;
    for (const form of forms) f.forms.add(form);
    if (stored) {
      if (strong) f.strongBefore = true;
      for (const form of forms) f.formsBefore.add(form);
    }
  };
  for (const row of writings) {
    if (row.derived) push(derivedWritings, row.surname_key, ...[row.name, ...row.aliases].map((w) => w.toLowerCase()));
    else addWriting(row.surname_key, row.name, row.aliases, row.titled, true);
  }
  const batchHolders = new Map<string, Set<number>>();
  for (const row of touched.newPersons) {
    if (!keys.has(row.surname_key) || row.local_index >= DERIVED_LOCAL_INDEX) continue;
    addWriting(row.surname_key, row.name, row.aliases, row.titles.length > 0, false);
    let holders = batchHolders.get(row.surname_key);
    if (!holders) batchHolders.set(row.surname_key, (holders = new Set()));
    holders.add(row.cable_id);
  }
  for (const [key, holders] of batchHolders) {
    const f = factsOf(key);
    f.cables += holders.size;
    for (const id of holders) f.holders.add(id);
  }

  // Surnames whose derived records elsewhere may have to change: newly known, known under a new
  // form, or no longer known as their derived records say.
  const changed = new Set<string>();
  for (const key of touched.surnameKeys) {
    const f = facts.get(key);
    const derived = derivedWritings.get(key) ?? [];
    if (!isKnown(f)) {
      if (derived.length) changed.add(key);
      continue;
    }
    if (!wasKnown(f) || [...f.forms].some((form) => !f.formsBefore.has(form))) changed.add(key);
    if (derived.some((written) => !f.forms.has(written))) changed.add(key);
  }
  // The records derived from the changed surnames, in full.
  const derivedRows = new Map<
    string,
    { id: number; cable_id: number; surname_key: string; name: string; aliases: string[]; person_id: number | null }[]
  >();
  if (changed.size) {
    const rows = await trx
      .selectFrom('cable_person')
      .select(['id', 'cable_id', 'surname_key', 'name', 'aliases', 'person_id'])
      .where('surname_key', '=', sql<string>`any(${[...changed]}::text[])`)
      .where('local_index', '>=', DERIVED_LOCAL_INDEX)
      .execute();
    for (const row of rows) push(derivedRows, row.surname_key, row);
  }

  // The standalone names other cables write of a changed surname, and the cables that hold
  // records derived from one.
  const elsewhere = new Set<number>();
  const otherNames = new Map<number, Hit[]>();
  if (changed.size) {
    const knownKeys = [...changed].filter((key) => isKnown(facts.get(key)));
    if (knownKeys.length) {
      const found = await sql<{ cable_id: number; paragraph: number; span_start: number; span_end: number; text: string }>`
        select cable_id, paragraph, span_start, span_end, text from standalone_name
        where surname_key = any(${knownKeys}::text[]) and not (cable_id = any(${intArray(batch)}::int[]))
        order by cable_id, span_start
      `.execute(trx);
      for (const row of found.rows) {
        elsewhere.add(row.cable_id);
        push(otherNames, row.cable_id, {
          text: row.text,
          form: row.text.toLowerCase(),
          start: row.span_start,
          end: row.span_end,
          paragraph: row.paragraph,
        });
      }
      // Which of those cables hold an extracted record of a changed surname.
      if (elsewhere.size) {
        const holders = await sql<{ cable_id: number; surname_key: string }>`
          select distinct cable_id, surname_key from cable_person
          where surname_key = any(${[...changed]}::text[]) and cable_id = any(${intArray([...elsewhere])}::int[])
            and local_index < ${DERIVED_LOCAL_INDEX}
        `.execute(trx);
        for (const row of holders.rows) facts.get(row.surname_key)?.holders.add(row.cable_id);
      }
    }
    for (const key of changed) for (const row of derivedRows.get(key) ?? []) elsewhere.add(row.cable_id);
    for (const id of batch) elsewhere.delete(id);
  }

  const wanted: Derived[] = [];
  for (const [cableId, names] of batchNames) wanted.push(...deriveInCable(cableId, names, facts, null));
  for (const [cableId, names] of otherNames) wanted.push(...deriveInCable(cableId, names, facts, changed));

  // Records derived before in the other cables: kept when still wanted as they are, else replaced.
  const wantedKey = (cableId: number, key: string) => `${cableId}|${key}`;
  const wantedByKey = new Map(wanted.map((d) => [wantedKey(d.cableId, d.surnameKey), d]));
  const existing = [...changed].flatMap((key) => (derivedRows.get(key) ?? []).filter((row) => elsewhere.has(row.cable_id)));
  // Their mentions are in `mention`, or still held for settling when their cable waits for it.
  const existingMentions = existing.length
    ? await trx
        .selectFrom('mention')
        .select(['local_id', 'span_start'])
        .where('kind', '=', deps.personKind)
        .where(
          'local_id',
          'in',
          existing.map((row) => row.id),
        )
        .unionAll(
          trx
            .selectFrom('graph_pending_mention')
            .select(['local_id', 'span_start'])
            .where('cable_id', 'in', [...new Set(existing.map((row) => row.cable_id))])
            .where(
              'local_id',
              'in',
              existing.map((row) => row.id),
            ),
        )
        .execute()
    : [];
  const startsOf = new Map<number, number[]>();
  for (const m of existingMentions) push(startsOf, m.local_id, m.span_start);
  const stale: typeof existing = [];
  for (const row of existing) {
    const want = wantedByKey.get(wantedKey(row.cable_id, row.surname_key));
    const same =
      want &&
      want.name === row.name &&
      want.aliases.join('\u0000') === row.aliases.join('\u0000') &&
      want.hits.map((h) => h.start).join(',') === (startsOf.get(row.id) ?? []).sort((a, b) => a - b).join(',');
    if (same) wantedByKey.delete(wantedKey(row.cable_id, row.surname_key));
    else stale.push(row);
  }
  if (stale.length) {
    const ids = stale.map((row) => row.id);
    for (const row of stale) {
      touched.surnameKeys.add(row.surname_key);
      if (row.person_id !== null) touched.persons.add(row.person_id);
    }
    const staleCables = [...new Set(stale.map((row) => row.cable_id))];
    await deps.withEdgeEvidence(trx, staleCables, async () => {
      await trx.deleteFrom('mention').where('kind', '=', deps.personKind).where('local_id', 'in', ids).execute();
      await trx.deleteFrom('graph_pending_mention').where('cable_id', 'in', staleCables).where('local_id', 'in', ids).execute();
      await trx.deleteFrom('cable_person').where('id', 'in', ids).execute();
    });
  }

  const inserts = [...wantedByKey.values()];
  if (inserts.length === 0) return;
  const cables = [...new Set(inserts.map((d) => d.cableId))];
  const highest = await trx
    .selectFrom('cable_person')
    .select(['cable_id', (e) => e.fn.max('local_index').as('local')])
    .where('cable_id', 'in', cables)
    .where('local_index', '>=', DERIVED_LOCAL_INDEX)
    .groupBy('cable_id')
    .execute();
  const nextLocal = new Map(highest.map((row) => [row.cable_id, Number(row.local) + 1]));
  inserts.sort((a, b) => a.cableId - b.cableId || a.surnameKey.localeCompare(b.surnameKey));
  const locals = inserts.map((d) => {
    const local = nextLocal.get(d.cableId) ?? DERIVED_LOCAL_INDEX;
    nextLocal.set(d.cableId, local + 1);
    return local;
  });
  // Records derived in the batch's cables join its other records, written after resolution;
  // elsewhere they are written now.
  const ids = await cablePersonIds(trx, inserts.length);
  const derived: NewPersonRecord[] = inserts.map((d, index) => ({
    id: ids[index]!,
    cable_id: d.cableId,
    local_index: locals[index]!,
    name: d.name,
    aliases: d.aliases,
    titles: [],
    organizations: [],
    country_id: null,
    country_code: null,
    name_key: nameParts(d.name).full,
    surname_key: d.surnameKey,
    person_id: null,
  }));
  touched.newPersons.push(...derived.filter((row) => touched.uncounted.has(row.cable_id)));
  await insertPersonRecords(
    trx,
    derived.filter((row) => !touched.uncounted.has(row.cable_id)),
  );
  const counted: PendingMention[] = [];
  inserts.forEach((d, index) => {
    touched.surnameKeys.add(d.surnameKey);
    const local = ids[index]!;
    for (const hit of d.hits) {
      const mention: PendingMention = {
        cableId: d.cableId,
        paragraph: hit.paragraph,
        kind: deps.personKind,
        local,
        entity: null,
        start: hit.start,
        end: hit.end,
        surface: hit.text,
        title: null,
      };
      // The batch's mentions wait for resolution; elsewhere they go in now, pointing at no person
      // yet, so that resolution moving the record moves their edge evidence too.
      if (touched.uncounted.has(d.cableId)) touched.pending.push(mention);
      else counted.push(mention);
    }
  });
  await insertMentions(trx, counted);
}
