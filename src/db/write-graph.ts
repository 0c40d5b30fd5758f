// Writing the entity graph of a batch of cables, inside the batch's transaction: per-cable entity
// records and mentions, then resolution of the surname blocks and organization name groups the
// batch touched, then co-mention edges and counts of the entities whose evidence changed.
// Set-based throughout: a fixed number of statements per batch, whatever its size. A new record
// is written once, already pointing at its entity (persons after resolution, organizations that
// join a known one as they are inserted): an update after the insert would double the rows'
// index work and leave dead tuples behind.
import { sql, type RawBuilder, type Transaction } from 'kysely';

import type { LocatedStandaloneName } from '../extract/entities/standalone-names.ts';
import { deriveKnownSurnames, type ParagraphText } from './resolve/known-surnames.ts';
import { nameParts } from './resolve/name-keys.ts';
import { clusterPersons, type Judgment, type PersonRecord } from './resolve/person-clusters.ts';
import { clusterOrganizations, type OrganizationRecord } from './resolve/organization-clusters.ts';
import type { Database } from './schema.ts';

export const MENTION_KIND = { person: 1, organization: 2, country: 3 } as const;
export type MentionKind = keyof typeof MENTION_KIND;

/** Edge kinds: person-person, person-organization and its reverse, organization-country and its reverse. */
export const EDGE_KIND = { personPerson: 1, personOrganization: 2, organizationCountry: 3 } as const;

export interface PersonEntityRecord {
  localIndex: number;
  name: string;
  aliases: string[];
  titles: string[];
  organizations: string[];
  countryCode: string | null;
}

export interface OrganizationEntityRecord {
  localIndex: number;
  name: string;
  aliases: string[];
  kind: string;
  countryCode: string | null;
}

export interface MentionRecord {
  kind: MentionKind;
  /** Index into the cable's persons or organizations; null for a country. */
  local: number | null;
  countryCode: string | null;
  /** Paragraph position in the cable. */
  paragraph: number;
  start: number;
  end: number;
  surface: string;
  title: string | null;
}

export interface DateMentionRecord {
  paragraph: number;
  start: number;
  end: number;
  text: string;
  date: string;
}

export interface TopicRecord {
  code: string;
  name: string | null;
  kind: string;
  countryCode: string | null;
}

export interface CableGraphRecord {
  persons: PersonEntityRecord[];
  organizations: OrganizationEntityRecord[];
  mentions: MentionRecord[];
  dates: DateMentionRecord[];
  topics: TopicRecord[];
  /** Country code -> English short name, for every country the record names. */
  countryNames: Record<string, string>;
}

interface Touched {
  surnameKeys: Set<string>;
  /** Form keys whose organizations must be resolved again from all their records. */
  formKeys: Set<string>;
  persons: Set<number>;
  organizations: Set<number>;
  countries: Set<number>;
  /** Cables written in this batch, whose edge evidence is added once, after resolution. */
  uncounted: Set<number>;
  /** Mentions of the batch's cables, inserted once their entities are resolved. */
  pending: PendingMention[];
  /**
   * Person records of the batch's cables, not yet inserted: their ids are drawn from the table's
   * sequence up front, and each is written once, with its person, after resolution.
   */
  newPersons: NewPersonRecord[];
  /**
   * The paragraphs of the batch's cables, as written (read by the known-surnames stage from memory),
   * for cables whose standalone names were not found with their extraction.
   */
  paragraphs: ParagraphText[];
  /** The standalone names of the batch's cables, found with their extraction (off this thread). */
  standaloneNames: Map<number, LocatedStandaloneName[]>;
}

/** A mention waiting for its entity to be resolved (also added to by the known-surnames stage). */
export interface PendingMention {
  cableId: number;
  paragraph: number;
  kind: number;
  local: number;
  entity: number | null;
  start: number;
  end: number;
  surface: string;
  title: string | null;
}

/** A cable_person row waiting for resolution to give it its person. */
export interface NewPersonRecord {
  id: number;
  cable_id: number;
  local_index: number;
  name: string;
  aliases: string[];
  titles: string[];
  organizations: string[];
  country_id: number | null;
  country_code: string | null;
  name_key: string;
  surname_key: string;
  person_id: number | null;
}

/** Ids for `count` new cable_person rows, drawn from the table's identity sequence. */
export async function cablePersonIds(trx: Transaction<Database>, count: number): Promise<number[]> {
  if (count === 0) return [];
  const rows = await sql<{ id: number }>`
    select nextval(pg_get_serial_sequence('cable_person', 'id'))::int as id from generate_series(1, ${count}::int)
  `.execute(trx);
  return rows.rows.map((row) => row.id).sort((a, b) => a - b);
}

/** Writes the batch's person records, each with the person resolution gave it. */
async function insertNewPersons(trx: Transaction<Database>, touched: Touched): Promise<void> {
  const rows = touched.newPersons;
  touched.newPersons = [];
  await insertPersonRecords(trx, rows);
}

/** Writes cable_person rows whose ids were drawn with cablePersonIds. */
export async function insertPersonRecords(trx: Transaction<Database>, rows: NewPersonRecord[]): Promise<void> {
  if (rows.length === 0) return;
  // Arrays of arrays do not survive unnest(): each list travels as a JSON text.
  await sql`
    insert into cable_person (id, cable_id, local_index, name, aliases, titles, organizations, country_id, name_key, surname_key, person_id,
                              cable_date)
    overriding system value
    select id, c, l, n, array(select jsonb_array_elements_text(a::jsonb)), array(select jsonb_array_elements_text(t::jsonb)),
           array(select jsonb_array_elements_text(o::jsonb)), co, nk, sk, p, (select cable.date from cable where cable.id = c)
    from unnest(${intArray(rows.map((r) => r.id))}::int[], ${intArray(rows.map((r) => r.cable_id))}::int[],
                ${intArray(rows.map((r) => r.local_index))}::smallint[], ${rows.map((r) => r.name)}::text[],
                ${rows.map((r) => JSON.stringify(r.aliases))}::text[], ${rows.map((r) => JSON.stringify(r.titles))}::text[],
                ${rows.map((r) => JSON.stringify(r.organizations))}::text[], ${intArray(rows.map((r) => r.country_id))}::int[],
                ${rows.map((r) => r.name_key)}::text[], ${rows.map((r) => r.surname_key)}::text[],
                ${intArray(rows.map((r) => r.person_id))}::int[]) as u(id, c, l, n, a, t, o, co, nk, sk, p)
  `.execute(trx);
}

export function emptyTouched(): Touched {
  return {
    surnameKeys: new Set(),
    formKeys: new Set(),
    persons: new Set(),
    organizations: new Set(),
    countries: new Set(),
    uncounted: new Set(),
    pending: [],
    newPersons: [],
    paragraphs: [],
    standaloneNames: new Map(),
  };
}

export function organizationFormKeys(countryCode: string | null, forms: string[]): string[] {
  const keys = new Set<string>();
  for (const form of forms) {
    const key = nameParts(form).full;
    if (key) keys.add(`${countryCode ?? ''}|${key}`);
  }
  return [...keys];
}

/** What the cables about to be rewritten contributed, so that their blocks are resolved again. */
export async function collectPrevious(trx: Transaction<Database>, cableIds: number[], touched: Touched): Promise<void> {
  if (cableIds.length === 0) return;
  const persons = await trx.selectFrom('cable_person').select(['surname_key', 'person_id']).where('cable_id', 'in', cableIds).execute();
  for (const row of persons) {
    touched.surnameKeys.add(row.surname_key);
    if (row.person_id !== null) touched.persons.add(row.person_id);
  }
  const organizations = await trx
    .selectFrom('cable_organization')
    .select(['form_keys', 'organization_id'])
    .where('cable_id', 'in', cableIds)
    .execute();
  for (const row of organizations) {
    for (const key of row.form_keys) touched.formKeys.add(key);
    if (row.organization_id !== null) touched.organizations.add(row.organization_id);
  }
  const countries = await trx
    .selectFrom('mention')
    .select('entity_id')
    .distinct()
    .where('cable_id', 'in', cableIds)
    .where('kind', '=', MENTION_KIND.country)
    .execute();
  for (const row of countries) if (row.entity_id !== null) touched.countries.add(row.entity_id);
  await withEdgeEvidence(trx, cableIds, () =>
    trx
      .deleteFrom('mention')
      .where('cable_id', 'in', cableIds)
      .execute()
      .then(() => undefined),
  );
  await trx.deleteFrom('graph_pending_mention').where('cable_id', 'in', cableIds).execute();
  await trx.deleteFrom('date_mention').where('cable_id', 'in', cableIds).execute();
  await trx.deleteFrom('cable_topic').where('cable_id', 'in', cableIds).execute();
  await trx.deleteFrom('cable_person').where('cable_id', 'in', cableIds).execute();
  await trx.deleteFrom('cable_organization').where('cable_id', 'in', cableIds).execute();
}

async function ensureCountries(trx: Transaction<Database>, names: Map<string, string>): Promise<Map<string, number>> {
  if (names.size === 0) return new Map();
  const codes = [...names.keys()];
  await sql`
    insert into country (code, name)
    select * from unnest(${codes}::text[], ${codes.map((c) => names.get(c)!)}::text[])
    on conflict (code) do nothing
  `.execute(trx);
  const rows = await trx.selectFrom('country').select(['id', 'code']).where('code', 'in', codes).execute();
  return new Map(rows.map((row) => [row.code, row.id]));
}

async function ensureTopics(
  trx: Transaction<Database>,
  topics: Map<string, TopicRecord>,
  countryIds: Map<string, number>,
): Promise<Map<string, number>> {
  if (topics.size === 0) return new Map();
  const list = [...topics.values()];
  await sql`
    insert into topic (code, name, kind, country_id)
    select * from unnest(${list.map((t) => t.code)}::text[], ${list.map((t) => t.name)}::text[], ${list.map((t) => t.kind)}::text[],
                         ${intArray(list.map((t) => (t.countryCode ? (countryIds.get(t.countryCode) ?? null) : null)))}::int[])
    on conflict (code) do nothing
  `.execute(trx);
  const rows = await trx
    .selectFrom('topic')
    .select(['id', 'code'])
    .where(
      'code',
      'in',
      list.map((t) => t.code),
    )
    .execute();
  return new Map(rows.map((row) => [row.code, row.id]));
}

/** Inserts the entity records of freshly written cables; adds what they touch to `touched`. */
export async function insertGraph(
  trx: Transaction<Database>,
  cables: {
    cableId: number;
    graph: CableGraphRecord;
    paragraphs?: { position: number; start: number; text: string }[];
    standaloneNames?: LocatedStandaloneName[] | undefined;
  }[],
  touched: Touched,
): Promise<void> {
  for (const { cableId, paragraphs, standaloneNames } of cables) {
    if (standaloneNames) touched.standaloneNames.set(cableId, standaloneNames);
    else
      for (const p of paragraphs ?? [])
        touched.paragraphs.push({ cable_id: cableId, position: p.position, span_start: p.start, text: p.text });
  }
  const countryNames = new Map<string, string>();
  const topics = new Map<string, TopicRecord>();
  for (const { graph } of cables) {
    for (const [code, name] of Object.entries(graph.countryNames)) countryNames.set(code, name);
    for (const topic of graph.topics) topics.set(topic.code, topic);
  }
  const countryIds = await ensureCountries(trx, countryNames);
  const topicIds = await ensureTopics(trx, topics, countryIds);

  const topicRows = { cable: [] as number[], topic: [] as number[], position: [] as number[] };
  const persons: Omit<NewPersonRecord, 'id'>[] = [];
  const organization = {
    cable: [] as number[],
    local: [] as number[],
    name: [] as string[],
    aliases: [] as string[],
    kind: [] as string[],
    country: [] as (number | null)[],
    formKeys: [] as string[],
    organization: [] as (number | null)[],
  };
  const dates = {
    cable: [] as number[],
    position: [] as number[],
    paragraph: [] as number[],
    start: [] as number[],
    end: [] as number[],
    text: [] as string[],
    date: [] as string[],
  };

  const organizationForms: { formKeys: string[]; forms: string[]; kind: string }[] = [];
  for (const { cableId, graph } of cables) {
    const seen = new Set<number>();
    graph.topics.forEach((topic, position) => {
      const id = topicIds.get(topic.code);
      // A tag given twice on one TAGS line is one topic of the cable.
      if (id === undefined || seen.has(id)) return;
      seen.add(id);
      topicRows.cable.push(cableId);
      topicRows.topic.push(id);
      topicRows.position.push(position);
    });
    for (const p of graph.persons) {
      const parts = nameParts(p.name);
      persons.push({
        cable_id: cableId,
        local_index: p.localIndex,
        name: p.name,
        aliases: p.aliases,
        titles: p.titles,
        organizations: p.organizations,
        country_id: p.countryCode ? (countryIds.get(p.countryCode) ?? null) : null,
        country_code: p.countryCode && countryIds.has(p.countryCode) ? p.countryCode : null,
        name_key: parts.full,
        surname_key: parts.surname,
        person_id: null,
      });
      touched.surnameKeys.add(parts.surname);
    }
    for (const o of graph.organizations) {
      const formKeys = organizationFormKeys(o.countryCode, [o.name, ...o.aliases]);
      organization.cable.push(cableId);
      organization.local.push(o.localIndex);
      organization.name.push(o.name);
      organization.aliases.push(JSON.stringify(o.aliases));
      organization.kind.push(o.kind);
      organization.country.push(o.countryCode ? (countryIds.get(o.countryCode) ?? null) : null);
      organization.formKeys.push(JSON.stringify(formKeys));
      organization.organization.push(null);
      organizationForms.push({ formKeys, forms: [o.name, ...o.aliases], kind: o.kind });
    }
    graph.dates.forEach((d, position) => {
      dates.cable.push(cableId);
      dates.position.push(position);
      dates.paragraph.push(d.paragraph);
      dates.start.push(d.start);
      dates.end.push(d.end);
      dates.text.push(d.text);
      dates.date.push(d.date);
    });
  }

  if (topicRows.cable.length) {
    await sql`
      insert into cable_topic (cable_id, topic_id, position)
      select * from unnest(${intArray(topicRows.cable)}::int[], ${intArray(topicRows.topic)}::int[], ${intArray(topicRows.position)}::smallint[])
    `.execute(trx);
  }
  const personIds = new Map<string, number>();
  const newIds = await cablePersonIds(trx, persons.length);
  persons.forEach((row, index) => {
    const id = newIds[index]!;
    touched.newPersons.push({ ...row, id });
    personIds.set(`${row.cable_id}:${row.local_index}`, id);
  });
  const organizationIds = new Map<string, number>();
  if (organization.cable.length) {
    await joinKnownOrganizations(trx, organizationForms, organization.organization, touched);
    const rows = await sql<{ id: number; cable_id: number; local_index: number }>`
      insert into cable_organization (cable_id, local_index, name, aliases, kind, country_id, form_keys, organization_id)
      select c, l, n, array(select jsonb_array_elements_text(a::jsonb)), k, co, array(select jsonb_array_elements_text(f::jsonb)), o
      from unnest(${intArray(organization.cable)}::int[], ${intArray(organization.local)}::smallint[], ${organization.name}::text[], ${organization.aliases}::text[],
                  ${organization.kind}::text[], ${intArray(organization.country)}::int[], ${organization.formKeys}::text[],
                  ${intArray(organization.organization)}::int[]) as u(c, l, n, a, k, co, f, o)
      returning id, cable_id, local_index
    `.execute(trx);
    for (const row of rows.rows) organizationIds.set(`${row.cable_id}:${row.local_index}`, row.id);
  }

  for (const { cableId, graph } of cables) {
    for (const m of graph.mentions) {
      let local: number | undefined;
      let entity: number | null = null;
      if (m.kind === 'country') {
        local = m.countryCode ? countryIds.get(m.countryCode) : undefined;
        entity = local ?? null;
        if (local !== undefined) touched.countries.add(local);
      } else if (m.kind === 'person') local = personIds.get(`${cableId}:${m.local}`);
      else local = organizationIds.get(`${cableId}:${m.local}`);
      if (local === undefined) continue;
      touched.pending.push({
        cableId,
        paragraph: m.paragraph,
        kind: MENTION_KIND[m.kind],
        local,
        entity,
        start: m.start,
        end: m.end,
        surface: m.surface,
        title: m.title,
      });
    }
  }
  for (const { cableId } of cables) touched.uncounted.add(cableId);
  if (dates.cable.length) {
    await sql`
      insert into date_mention (cable_id, position, paragraph, span_start, span_end, text, date)
      select * from unnest(${intArray(dates.cable)}::int[], ${intArray(dates.position)}::smallint[], ${intArray(dates.paragraph)}::smallint[], ${intArray(dates.start)}::int[],
                           ${intArray(dates.end)}::int[], ${dates.text}::text[], ${dates.date}::text[])
    `.execute(trx);
  }
}

/**
 * Inserts the batch's mentions, pointing at the entities their records resolved to. With
 * `holdPersons` (person resolution left for the end of the run), person mentions whose record has
 * no person yet wait in graph_pending_mention instead, for settling to move them into `mention`.
 */
export async function insertPendingMentions(
  trx: Transaction<Database>,
  touched: Touched,
  options: { holdPersons?: boolean } = {},
): Promise<void> {
  // Without resolution (benchmark-only), the batch's person records go in pointing at no person.
  await insertNewPersons(trx, touched);
  const pending = touched.pending;
  if (pending.length === 0) return;
  const personLocals = [...new Set(pending.filter((m) => m.kind === MENTION_KIND.person).map((m) => m.local))];
  const organizationLocals = [...new Set(pending.filter((m) => m.kind === MENTION_KIND.organization).map((m) => m.local))];
  const persons = personLocals.length
    ? await trx.selectFrom('cable_person').select(['id', 'person_id as entity']).where('id', 'in', personLocals).execute()
    : [];
  const organizations = organizationLocals.length
    ? await trx.selectFrom('cable_organization').select(['id', 'organization_id as entity']).where('id', 'in', organizationLocals).execute()
    : [];
  const personEntity = new Map(persons.map((r) => [r.id, r.entity]));
  const organizationEntity = new Map(organizations.map((r) => [r.id, r.entity]));
  for (const m of pending) {
    if (m.kind === MENTION_KIND.person) m.entity = personEntity.get(m.local) ?? null;
    else if (m.kind === MENTION_KIND.organization) m.entity = organizationEntity.get(m.local) ?? null;
  }
  // Person mentions whose record has no person yet wait for settling, when resolution is deferred.
  const held: PendingMention[] = [];
  const now: PendingMention[] = [];
  for (const m of pending) (options.holdPersons && m.kind === MENTION_KIND.person && m.entity === null ? held : now).push(m);
  if (held.length) {
    await sql`
      insert into graph_pending_mention (cable_id, paragraph, local_id, span_start, span_end, surface, title)
      select * from unnest(${intArray(held.map((m) => m.cableId))}::int[], ${intArray(held.map((m) => m.paragraph))}::smallint[],
                           ${intArray(held.map((m) => m.local))}::int[], ${intArray(held.map((m) => m.start))}::int[],
                           ${intArray(held.map((m) => m.end))}::int[], ${held.map((m) => m.surface)}::text[], ${held.map((m) => m.title)}::text[])
    `.execute(trx);
  }
  await insertMentions(trx, now);
}

/** Inserts mentions as they are, one statement for all of them. */
export async function insertMentions(trx: Transaction<Database>, mentions: PendingMention[]): Promise<void> {
  if (mentions.length === 0) return;
  await sql`
    insert into mention (cable_id, paragraph, kind, local_id, entity_id, span_start, span_end, surface, title)
    select * from unnest(${intArray(mentions.map((m) => m.cableId))}::int[], ${intArray(mentions.map((m) => m.paragraph))}::smallint[],
                         ${intArray(mentions.map((m) => m.kind))}::smallint[], ${intArray(mentions.map((m) => m.local))}::int[],
                         ${intArray(mentions.map((m) => m.entity))}::int[], ${intArray(mentions.map((m) => m.start))}::int[],
                         ${intArray(mentions.map((m) => m.end))}::int[], ${mentions.map((m) => m.surface)}::text[], ${mentions.map((m) => m.title)}::text[])
  `.execute(trx);
}

/**
 * Moves the held person mentions of `cableIds` (graph_pending_mention) into `mention`, each
 * pointing at the person its record now belongs to, in text order.
 */
async function releaseHeldMentions(trx: Transaction<Database>, cableIds: number[]): Promise<void> {
  await sql`
    with held as (delete from graph_pending_mention where cable_id = any(${intArray(cableIds)}::int[]) returning *)
    insert into mention (cable_id, paragraph, kind, local_id, entity_id, span_start, span_end, surface, title)
    select h.cable_id, h.paragraph, ${MENTION_KIND.person}, h.local_id, cp.person_id, h.span_start, h.span_end, h.surface, h.title
    from held h join cable_person cp on cp.id = h.local_id
    order by h.cable_id, h.paragraph, h.span_start
  `.execute(trx);
}

/** The country id of each cluster's country code (codes come from rows already in `country`). */
async function countryIdLookup(trx: Transaction<Database>, clusters: { countryCode: string | null }[]) {
  const codes = [...new Set(clusters.map((c) => c.countryCode).filter((c): c is string => Boolean(c)))];
  const rows = codes.length ? await trx.selectFrom('country').select(['id', 'code']).where('code', 'in', codes).execute() : [];
  const ids = new Map(rows.map((row) => [row.code, row.id]));
  return (cluster: { countryCode: string | null }) => (cluster.countryCode ? (ids.get(cluster.countryCode) ?? null) : null);
}

/** Surname keys tied to `keys` by merge or split judgments (a merge may join two surnames). */
function judgmentClosure(keys: Set<string>, judgments: Judgment[]): Set<string> {
  const closed = new Set(keys);
  let grew = true;
  while (grew) {
    grew = false;
    for (const judgment of judgments) {
      const surnames = judgment.members.map((identity) => nameParts(identity.slice(identity.indexOf('|') + 1)).surname);
      if (surnames.some((s) => closed.has(s)) && surnames.some((s) => !closed.has(s))) {
        for (const s of surnames) closed.add(s);
        grew = true;
      }
    }
  }
  return closed;
}

async function loadJudgments(trx: Transaction<Database>): Promise<Judgment[]> {
  const rows = await trx.selectFrom('judgment').select(['id', 'kind', 'members']).orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, kind: row.kind as Judgment['kind'], members: row.members }));
}

/** Resolves the surname blocks in `touched` again and writes persons, links and candidates. */
export async function resolvePersons(trx: Transaction<Database>, touched: Touched): Promise<void> {
  await deriveKnownSurnames(trx, touched, { personKind: MENTION_KIND.person, withEdgeEvidence });
  await clusterSurnameBlocks(trx, touched);
}

/**
 * What an ingest batch does instead of resolvePersons: derives the records of known surnames, and
 * leaves the surname blocks it touched in graph_pending_surname, its person records pointing at no
 * person yet. A block is clustered once per run (settleStep), not once per batch that names it:
 * a common surname's block holds more records with every batch, and clustering it again in each
 * made resolution grow with the square of the corpus.
 */
export async function stagePersons(trx: Transaction<Database>, touched: Touched): Promise<void> {
  await deriveKnownSurnames(trx, touched, { personKind: MENTION_KIND.person, withEdgeEvidence });
  if (touched.surnameKeys.size === 0) return;
  await sql`
    insert into graph_pending_surname (surname_key) select unnest(${[...touched.surnameKeys]}::text[]) on conflict do nothing
  `.execute(trx);
  touched.surnameKeys.clear();
}

/** Clusters the surname blocks in `touched` (and those judgments tie to them) and writes the result. */
async function clusterSurnameBlocks(trx: Transaction<Database>, touched: Touched): Promise<void> {
  if (touched.surnameKeys.size === 0) return;
  const judgments = await loadJudgments(trx);
  const surnameKeys = [...judgmentClosure(touched.surnameKeys, judgments)];
  const stored = await trx
    .selectFrom('cable_person')
    .innerJoin('cable', 'cable.id', 'cable_person.cable_id')
    .leftJoin('country', 'country.id', 'cable_person.country_id')
    .select([
      'cable_person.id',
      'cable_person.cable_id',
      'cable_person.name',
      'cable_person.aliases',
      'cable_person.titles',
      'cable_person.name_key',
      'cable_person.person_id',
      'cable.ref',
      'cable.date',
      'country.code as country_code',
    ])
    .where('cable_person.surname_key', 'in', surnameKeys)
    .execute();
  // The batch's own records, not yet written, join the blocks they belong to from memory.
  const batchCables = [...new Set(touched.newPersons.map((r) => r.cable_id))];
  const cables = batchCables.length
    ? await trx.selectFrom('cable').select(['id', 'ref', 'date']).where('id', 'in', batchCables).execute()
    : [];
  const cableById = new Map(cables.map((c) => [c.id, c]));
  const blockKeys = new Set(surnameKeys);
  const newById = new Map(touched.newPersons.map((r) => [r.id, r]));
  const rows = [
    ...stored,
    ...touched.newPersons
      .filter((r) => blockKeys.has(r.surname_key))
      .map((r) => ({ ...r, ref: cableById.get(r.cable_id)!.ref, date: cableById.get(r.cable_id)!.date })),
  ];
  const records: PersonRecord[] = rows.map((row) => ({
    id: row.id,
    identity: `${row.ref}|${row.name_key}`,
    cableRef: row.ref,
    date: row.date,
    name: row.name,
    aliases: row.aliases,
    titles: row.titles,
    countryCode: row.country_code,
  }));
  const clusters = clusterPersons(records, judgments);

  const previous = await trx
    .selectFrom('person')
    .select(['id', 'key', 'name', 'aliases', 'country_id'])
    .where('surname_key', 'in', surnameKeys)
    .execute();
  const previousByKey = new Map(previous.map((row) => [row.key, row]));
  const countryOf = await countryIdLookup(trx, clusters);

  // Only clusters that are new or whose name, aliases or country changed are written.
  const idByKey = new Map(previous.map((row) => [row.key, row.id]));
  const changed = clusters.filter((cluster) => {
    const before = previousByKey.get(cluster.key);
    return (
      !before ||
      before.name !== cluster.name ||
      before.country_id !== countryOf(cluster) ||
      before.aliases.join('\u0000') !== cluster.aliases.join('\u0000')
    );
  });
  if (changed.length) {
    const written = await sql<{ id: number; key: string }>`
      insert into person (key, name, aliases, country_id, surname_key)
      select k, n, array(select jsonb_array_elements_text(a::jsonb)), c, s
      from unnest(${changed.map((c) => c.key)}::text[], ${changed.map((c) => c.name)}::text[],
                  ${changed.map((c) => JSON.stringify(c.aliases))}::text[], ${intArray(changed.map(countryOf))}::int[],
                  ${changed.map((c) => c.surnameKey)}::text[]) as u(k, n, a, c, s)
      on conflict (key) do update set name = excluded.name, aliases = excluded.aliases, country_id = excluded.country_id, surname_key = excluded.surname_key
      returning id, key
    `.execute(trx);
    for (const row of written.rows) idByKey.set(row.key, row.id);
  }

  // Records whose individual changed: their persons' counts and, for counted cables, their edges.
  const personOfRecord = new Map(rows.map((row) => [row.id, row]));
  const moved = { cablePerson: [] as number[], person: [] as number[] };
  const changingCables = new Set<number>();
  for (const cluster of clusters) {
    const personId = idByKey.get(cluster.key)!;
    for (const member of cluster.members) {
      const row = personOfRecord.get(member.id)!;
      const fresh = newById.get(member.id);
      if (fresh) {
        fresh.person_id = personId;
        touched.persons.add(personId);
        continue;
      }
      if (row.person_id === personId) continue;
      moved.cablePerson.push(member.id);
      moved.person.push(personId);
      touched.persons.add(personId);
      if (row.person_id !== null) touched.persons.add(row.person_id);
      if (!touched.uncounted.has(row.cable_id)) changingCables.add(row.cable_id);
    }
  }
  await insertNewPersons(trx, touched);
  const liveKeys = new Set(clusters.map((c) => c.key));
  const stale = previous.filter((row) => !liveKeys.has(row.key)).map((row) => row.id);
  if (moved.cablePerson.length) {
    await withEdgeEvidence(trx, [...changingCables], async () => {
      await sql`
        update cable_person set person_id = u.p
        from unnest(${intArray(moved.cablePerson)}::int[], ${intArray(moved.person)}::int[]) as u(cp, p)
        where cable_person.id = u.cp
      `.execute(trx);
      if (changingCables.size) {
        await sql`
          update mention set entity_id = u.p
          from unnest(${intArray(moved.cablePerson)}::int[], ${intArray(moved.person)}::int[]) as u(cp, p)
          where mention.kind = ${MENTION_KIND.person} and mention.local_id = u.cp and mention.entity_id is distinct from u.p
        `.execute(trx);
      }
    });
  }
  if (stale.length) {
    for (const id of stale) touched.persons.delete(id);
    await trx.deleteFrom('person').where('id', 'in', stale).execute();
  }
  const blockIds = [...idByKey.values()];
  if (blockIds.length) await trx.deleteFrom('person_candidate').where('person_id', 'in', blockIds).execute();
  const candidates = { person: [] as number[], candidate: [] as number[], score: [] as number[], reason: [] as string[] };
  for (const cluster of clusters) {
    for (const candidate of cluster.candidates) {
      const candidateId = idByKey.get(candidate.key);
      if (candidateId === undefined) continue;
      candidates.person.push(idByKey.get(cluster.key)!);
      candidates.candidate.push(candidateId);
      candidates.score.push(candidate.score);
      candidates.reason.push(candidate.reason);
    }
  }
  if (candidates.person.length) {
    await sql`
      insert into person_candidate (person_id, candidate_id, score, reason)
      select * from unnest(${intArray(candidates.person)}::int[], ${intArray(candidates.candidate)}::int[], ${candidates.score}::real[], ${candidates.reason}::text[])
      on conflict do nothing
    `.execute(trx);
  }
}

/** Points mentions of cable organizations at organizations, keeping the edge evidence exact. */
interface Move {
  local: number;
  entity: number;
  previous: number | null;
  cableId: number;
}

/** Points cable organizations that changed organization at their new one, keeping edges exact. */
async function moveOrganizations(trx: Transaction<Database>, touched: Touched, moves: Move[]): Promise<void> {
  const changed = moves.filter((move) => move.previous !== move.entity);
  if (changed.length === 0) return;
  const changingCables = new Set<number>();
  for (const move of changed) {
    touched.organizations.add(move.entity);
    if (move.previous !== null) touched.organizations.add(move.previous);
    if (!touched.uncounted.has(move.cableId)) changingCables.add(move.cableId);
  }
  const locals = changed.map((m) => m.local);
  const entities = changed.map((m) => m.entity);
  await withEdgeEvidence(trx, [...changingCables], async () => {
    await sql`
      update cable_organization set organization_id = u.o
      from unnest(${intArray(locals)}::int[], ${intArray(entities)}::int[]) as u(co, o)
      where cable_organization.id = u.co
    `.execute(trx);
    if (changingCables.size) {
      await sql`
        update mention set entity_id = u.o
        from unnest(${intArray(locals)}::int[], ${intArray(entities)}::int[]) as u(co, o)
        where mention.kind = ${MENTION_KIND.organization} and mention.local_id = u.co and mention.entity_id is distinct from u.o
      `.execute(trx);
    }
  });
}

/**
 * `column` (a text[] of form keys) shares a key with `keys`. PostgreSQL checks `&&` by comparing
 * every element with every other, and its planner does not know it: with a batch's ~1,000 keys it
 * picks a sequential scan that costs ~20 µs a row (250 ms over the corpus's 11,820 organization
 * records). Looking each element up in the list, hashed, costs ~1.5 µs a row (17 ms). A short
 * list keeps `&&`, which lets the planner use the GIN index when the list is selective.
 */
function sharesFormKey(column: RawBuilder<unknown>, keys: string[]): RawBuilder<boolean> {
  if (keys.length <= SHORT_KEY_LIST) return sql<boolean>`${column} && ${keys}::text[]`;
  return sql<boolean>`exists (select from unnest(${column}) as k(key) where k.key = any(${keys}::text[]))`;
}

const SHORT_KEY_LIST = 64;

/**
 * The ids of the organizations that have one of `keys` among their form keys: one probe of
 * organization_forms_idx a key. sharesFormKey's forms read every organization once the list is
 * long, and a batch's list is: at full size (251,287 cables, 11,520 organizations) that read was
 * 190 s of the ingest's statement time, and grew with the graph. A probe a key reads only the
 * organizations that have it: 745 keys took 3.3–3.5 ms against 83–199 ms (psql, full size). The
 * index keeps no pending list (migration 0015): every probe would read all of it.
 */
function organizationsWithFormKey(keys: string[]): RawBuilder<{ id: number }> {
  return sql<{ id: number }>`
    select o.id from unnest(${keys}::text[]) as k(key)
    cross join lateral (select id from organization where form_keys @> array[k.key]) o`;
}

/**
 * Decides, before they are inserted, which new organization records join an organization as they
 * are: those whose forms all belong to one organization already, bringing it no new form and a kind
 * that does not sort before its kind (an organization's kind is the first of its records' kinds in
 * alphabetical order, see clusterOrganizations), so that the components, names and kinds stay what a
 * full resolution would make them. A record of another kind used to be resolved again with its whole
 * organization in every batch that named it: a ministry some cables call an agency, a party with
 * thousands of records. Their organization id is set
 * in `organizationIds`, so that the record is written once, never inserted and then updated; the
 * forms of the others are left for resolveOrganizations.
 */
async function joinKnownOrganizations(
  trx: Transaction<Database>,
  records: { formKeys: string[]; forms: string[]; kind: string }[],
  organizationIds: (number | null)[],
  touched: Touched,
): Promise<void> {
  const keys = [...new Set(records.flatMap((r) => r.formKeys))];
  const known = keys.length
    ? await trx
        .selectFrom('organization')
        .select(['id', 'form_keys', 'name', 'aliases', 'kind'])
        .where(sql<boolean>`id in (${organizationsWithFormKey(keys)})`)
        .execute()
    : [];
  const ownerOfKey = new Map<string, (typeof known)[number]>();
  for (const org of known) for (const key of org.form_keys) ownerOfKey.set(key, org);
  records.forEach((record, index) => {
    const owners = new Set(record.formKeys.map((key) => ownerOfKey.get(key)));
    const [owner] = owners;
    const forms = owner ? new Set([owner.name, ...owner.aliases]) : null;
    if (owners.size === 1 && owner && record.kind >= owner.kind && record.forms.every((form) => forms!.has(form))) {
      organizationIds[index] = owner.id;
      touched.organizations.add(owner.id);
    } else for (const key of record.formKeys) touched.formKeys.add(key);
  });
}

/**
 * Resolves organizations: the forms of new records that joined no organization as they were
 * inserted (see joinKnownOrganizations), and of rewritten cables, are resolved again from every
 * record that shares a form with them.
 */
export async function resolveOrganizations(trx: Transaction<Database>, touched: Touched): Promise<void> {
  if (touched.formKeys.size === 0) return;
  // The connected group of cable organizations that share a form with the batch's, grown until
  // it is closed, so that "PCO" in one cable and "Privy Council Office (PCO)" in another meet.
  type Row = {
    id: number;
    cable_id: number;
    name: string;
    aliases: string[];
    kind: string;
    form_keys: string[];
    organization_id: number | null;
    country_code: string | null;
  };
  const keys = new Set(touched.formKeys);
  const byId = new Map<number, Row>();
  let frontier = [...keys];
  for (let round = 0; round < 8 && frontier.length; round++) {
    // Read grouped by what clustering looks at: a common organization has thousands of records
    // written in a handful of ways, and each record's text arrays would be sent and parsed again.
    const groups = await sql<Omit<Row, 'id' | 'cable_id'> & { members: string }>`
      select co.name, co.aliases, co.kind, co.form_keys, co.organization_id, country.code as country_code,
             string_agg(co.id::text || ':' || co.cable_id::text, ',') as members
      from cable_organization co left join country on country.id = co.country_id
      where ${sharesFormKey(sql.ref('co.form_keys'), frontier)}
      group by co.name, co.aliases, co.kind, co.form_keys, co.organization_id, country.code
    `.execute(trx);
    const found: Row[] = [];
    for (const { members, ...group } of groups.rows) {
      for (const member of members.split(',')) {
        const colon = member.indexOf(':');
        found.push({ ...group, id: Number(member.slice(0, colon)), cable_id: Number(member.slice(colon + 1)) });
      }
    }
    frontier = [];
    for (const row of found) {
      if (byId.has(row.id)) continue;
      byId.set(row.id, row);
      for (const key of row.form_keys) {
        if (!keys.has(key)) {
          keys.add(key);
          frontier.push(key);
        }
      }
    }
  }
  const rows = [...byId.values()];
  const clusters = clusterOrganizations(
    rows.map((row) => ({
      id: row.id,
      name: row.name,
      aliases: row.aliases,
      kind: row.kind,
      countryCode: row.country_code,
      formKeys: row.form_keys,
    })),
  );
  const previousIds = [...new Set(rows.map((r) => r.organization_id).filter((id): id is number => id !== null))];
  const previous = previousIds.length
    ? await trx
        .selectFrom('organization')
        .select(['id', 'key', 'name', 'aliases', 'kind', 'country_id', 'form_keys'])
        .where('id', 'in', previousIds)
        .execute()
    : [];
  const previousByKey = new Map(previous.map((row) => [row.key, row]));
  const countryOf = await countryIdLookup(trx, clusters);
  const same = (a: string[], b: string[]) => a.join('\u0000') === b.join('\u0000');
  const idByKey = new Map(previous.map((row) => [row.key, row.id]));
  const changed = clusters.filter((cluster) => {
    const before = previousByKey.get(cluster.key);
    return (
      !before ||
      before.name !== cluster.name ||
      before.kind !== cluster.kind ||
      before.country_id !== countryOf(cluster) ||
      !same(before.aliases, cluster.aliases) ||
      !same(before.form_keys, cluster.formKeys)
    );
  });
  if (changed.length) {
    const written = await sql<{ id: number; key: string }>`
      insert into organization (key, name, aliases, kind, country_id, form_keys)
      select k, n, array(select jsonb_array_elements_text(a::jsonb)), kd, c, array(select jsonb_array_elements_text(f::jsonb))
      from unnest(${changed.map((c) => c.key)}::text[], ${changed.map((c) => c.name)}::text[], ${changed.map((c) => JSON.stringify(c.aliases))}::text[],
                  ${changed.map((c) => c.kind)}::text[], ${intArray(changed.map(countryOf))}::int[],
                  ${changed.map((c) => JSON.stringify(c.formKeys))}::text[]) as u(k, n, a, kd, c, f)
      on conflict (key) do update set name = excluded.name, aliases = excluded.aliases, kind = excluded.kind, country_id = excluded.country_id,
                                      form_keys = excluded.form_keys
      returning id, key
    `.execute(trx);
    for (const row of written.rows) idByKey.set(row.key, row.id);
  }
  const rowById = new Map(rows.map((row) => [row.id, row]));
  const moves: Move[] = [];
  for (const cluster of clusters) {
    const entity = idByKey.get(cluster.key)!;
    for (const member of cluster.members) {
      const row = rowById.get(member)!;
      moves.push({ local: member, entity, previous: row.organization_id, cableId: row.cable_id });
    }
  }
  await moveOrganizations(trx, touched, moves);
  const liveKeys = new Set(clusters.map((c) => c.key));
  const stale = previous.filter((row) => !liveKeys.has(row.key)).map((row) => row.id);
  if (stale.length) {
    // A stale organization may still hold records outside this group (it cannot, once closed,
    // but a record cut off by the round limit keeps its organization alive rather than dangling).
    const stillUsed = await trx
      .selectFrom('cable_organization')
      .select('organization_id')
      .distinct()
      .where('organization_id', 'in', stale)
      .execute();
    const used = new Set(stillUsed.map((r) => r.organization_id));
    const unused = stale.filter((id) => !used.has(id));
    for (const id of unused) touched.organizations.delete(id);
    if (unused.length) await trx.deleteFrom('organization').where('id', 'in', unused).execute();
  }
}

/**
 * Adds (sign 1) or removes (sign -1) the co-mention evidence of some cables to the edge table.
 * The table is the sum over all cables of each cable's own pairs, so any change to a cable's
 * mentions is kept exact by removing its evidence before the change and adding it after.
 * Keyed by edge kind and source id (`kind * 2^32 + source`, exact for any int4 id), then target id:
 * the cables an organization move touches can carry many pairs, and number keys spare building and
 * splitting a string each.
 */
type EdgeDelta = Map<number, Map<number, { paragraphs: number; cables: number }>>;

const SOURCE_SPAN = 2 ** 32;

interface EvidenceRow {
  cable_id: number;
  kind: number;
  entity_id: number;
  paragraph: number;
}

interface EvidenceEntity {
  id: number;
  paragraphs: Set<number>;
}

function addPair(delta: EdgeDelta, kind: number, a: EvidenceEntity, b: EvidenceEntity, sign: 1 | -1): void {
  const [source, target] = kind === EDGE_KIND.personPerson && a.id > b.id ? [b, a] : [a, b];
  let shared = 0;
  for (const paragraph of a.paragraphs) if (b.paragraphs.has(paragraph)) shared++;
  const outer = kind * SOURCE_SPAN + source.id;
  let targets = delta.get(outer);
  if (!targets) delta.set(outer, (targets = new Map()));
  const entry = targets.get(target.id);
  if (entry) {
    entry.paragraphs += sign * shared;
    entry.cables += sign;
  } else targets.set(target.id, { paragraphs: sign * shared, cables: sign });
}

/**
 * Accumulates `sign` times the co-mention evidence of mention rows into `delta`, cable by cable.
 * Each pair is stored once: person-person with the smaller id as source, person -> organization,
 * organization -> country. Neighbour reads look at both ends.
 */
function accumulateEvidence(rows: EvidenceRow[], sign: 1 | -1, delta: EdgeDelta): void {
  const byCable = new Map<number, Map<number, EvidenceEntity>[]>();
  for (const row of rows) {
    let kinds = byCable.get(row.cable_id);
    if (!kinds) byCable.set(row.cable_id, (kinds = [new Map(), new Map(), new Map(), new Map()]));
    const entities = kinds[row.kind];
    if (!entities) continue;
    let entity = entities.get(row.entity_id);
    if (!entity) entities.set(row.entity_id, (entity = { id: row.entity_id, paragraphs: new Set() }));
    entity.paragraphs.add(row.paragraph);
  }
  for (const kinds of byCable.values()) {
    const persons = [...kinds[MENTION_KIND.person]!.values()];
    const organizations = [...kinds[MENTION_KIND.organization]!.values()];
    const countries = [...kinds[MENTION_KIND.country]!.values()];
    for (let i = 0; i < persons.length; i++) {
      for (let j = i + 1; j < persons.length; j++) addPair(delta, EDGE_KIND.personPerson, persons[i]!, persons[j]!, sign);
      for (const organization of organizations) addPair(delta, EDGE_KIND.personOrganization, persons[i]!, organization, sign);
    }
    for (const organization of organizations) {
      for (const country of countries) addPair(delta, EDGE_KIND.organizationCountry, organization, country, sign);
    }
  }
}

/**
 * Accumulates `sign` times the evidence of some cables, as their mentions stand now. The caller
 * (withEdgeEvidence) leaves out cables still waiting in graph_pending_cable: their evidence is not
 * in the edge table yet, so there is nothing of theirs to take out or put back (settling adds it,
 * see addCableEvidence).
 */
async function collectEvidence(trx: Transaction<Database>, cableIds: number[], sign: 1 | -1, delta: EdgeDelta): Promise<void> {
  if (cableIds.length === 0) return;
  const rows = await trx
    .selectFrom('mention')
    .select(['cable_id', 'kind', 'entity_id', 'paragraph'])
    .where('cable_id', '=', sql<number>`any(${intArray(cableIds)}::int[])`)
    .where('entity_id', 'is not', null)
    .execute();
  accumulateEvidence(rows as EvidenceRow[], sign, delta);
}

/**
 * An int[] parameter in PostgreSQL's array text form. pg's own array serializer escapes element by
 * element, which costs seconds on the 100,000s of ids an ingest's edge and mention writes carry.
 */
export function intArray(values: readonly (number | null)[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i) text += ',';
    text += value === null || value === undefined ? 'NULL' : String(Math.trunc(value));
  }
  return text + '}';
}

/** Writes the net change of evidence: one upsert, then removal of edges left with no cable. */
async function writeEvidence(trx: Transaction<Database>, delta: EdgeDelta): Promise<void> {
  const columns = {
    kind: [] as number[],
    source: [] as number[],
    target: [] as number[],
    paragraphs: [] as number[],
    cables: [] as number[],
  };
  let removals = false;
  // In key order, so that the upsert walks the primary-key index forwards instead of at random.
  for (const outer of [...delta.keys()].sort((a, b) => a - b)) {
    const kind = Math.floor(outer / SOURCE_SPAN);
    const source = outer - kind * SOURCE_SPAN;
    const targets = delta.get(outer)!;
    for (const target of [...targets.keys()].sort((a, b) => a - b)) {
      const value = targets.get(target)!;
      if (value.cables === 0 && value.paragraphs === 0) continue;
      columns.kind.push(kind);
      columns.source.push(source);
      columns.target.push(target);
      columns.paragraphs.push(value.paragraphs);
      columns.cables.push(value.cables);
      if (value.cables < 0) removals = true;
    }
  }
  if (columns.kind.length === 0) return;
  const rows = sql`
    select * from unnest(${intArray(columns.kind)}::smallint[], ${intArray(columns.source)}::int[], ${intArray(columns.target)}::int[],
                         ${intArray(columns.paragraphs)}::int[], ${intArray(columns.cables)}::int[])
  `;
  const upsert = sql`
    insert into edge (kind, source_id, target_id, paragraphs, cables) ${rows}
    on conflict (kind, source_id, target_id)
    do update set paragraphs = edge.paragraphs + excluded.paragraphs, cables = edge.cables + excluded.cables
  `;
  // Evidence only added (a batch's new cables) cannot empty an edge: nothing to report back.
  if (!removals) {
    await upsert.execute(trx);
    return;
  }
  // The upsert reports the pairs it left with no cable; only those few are deleted, by key.
  const emptied = await sql<{ kind: number; source_id: number; target_id: number }>`
    with upserted as (${upsert} returning kind, source_id, target_id, cables)
    select kind, source_id, target_id from upserted where cables <= 0
  `.execute(trx);
  if (emptied.rows.length) {
    const gone = emptied.rows;
    await sql`
      delete from edge
      where (kind, source_id, target_id) in (
        select * from unnest(${intArray(gone.map((e) => e.kind))}::smallint[], ${intArray(gone.map((e) => e.source_id))}::int[], ${intArray(gone.map((e) => e.target_id))}::int[])
      )
    `.execute(trx);
  }
}

/**
 * Keeps the edge table exact across a change to the mentions of some cables: the table is the
 * sum over all cables of each cable's own pairs, so their evidence is taken out as it stands
 * before `change` and put back as it stands after, and only the difference is written.
 */
async function withEdgeEvidence(trx: Transaction<Database>, cableIds: number[], change: () => Promise<void>): Promise<void> {
  // A cable with one half of its evidence in the table (a settling stopped between its halves)
  // gets the other half first, from the same mentions: it is then counted like any other.
  await finishHalfSettled(trx, cableIds);
  // Cables waiting for settling have no evidence in the table to keep exact. Left out once here,
  // not by each read of the mentions: clustering a run's surname blocks at its end moves the
  // records of thousands of cables, nearly all of them still waiting.
  const counted = cableIds.length
    ? (
        await sql<{ cable_id: number }>`
          select c.cable_id from unnest(${intArray(cableIds)}::int[]) as c(cable_id)
          where not exists (select from graph_pending_cable g where g.cable_id = c.cable_id)
        `.execute(trx)
      ).rows.map((row) => row.cable_id)
    : [];
  if (counted.length === 0) return change();
  const delta: EdgeDelta = new Map();
  await collectEvidence(trx, counted, -1, delta);
  await change();
  await collectEvidence(trx, counted, 1, delta);
  await writeEvidence(trx, delta);
}

/**
 * Marks cables whose evidence is to be added to the edge table when the graph is next settled.
 * Call it once their previous evidence (if any) has been taken out, before their mentions change.
 */
export async function markPending(trx: Transaction<Database>, cableIds: number[]): Promise<void> {
  if (cableIds.length === 0) return;
  // A cable waiting again after its held mentions were moved (it is being rewritten) has new ones
  // to move. It has no half of its evidence in the table: withEdgeEvidence finished any first.
  await sql`
    insert into graph_pending_cable (cable_id) select unnest(${intArray(cableIds)}::int[])
    on conflict (cable_id) do update set released = false
  `.execute(trx);
}

/** Marks the persons and organizations whose counts the batch changed, for the next settling. */
export async function markStale(trx: Transaction<Database>, touched: Touched): Promise<void> {
  const kinds: number[] = [...touched.persons].map(() => MENTION_KIND.person);
  for (let i = 0; i < touched.organizations.size; i++) kinds.push(MENTION_KIND.organization);
  if (kinds.length === 0) return;
  await sql`
    insert into graph_stale_count (kind, entity_id)
    select * from unnest(${intArray(kinds)}::smallint[], ${intArray([...touched.persons, ...touched.organizations])}::int[])
    on conflict do nothing
  `.execute(trx);
  touched.persons.clear();
  touched.organizations.clear();
}

/**
 * Adds the co-mention evidence of some cables, as their mentions stand, to the edge table, in one
 * set-based statement: the pairs of entities named in the same cable (counted once per cable) and
 * in the same paragraph (once per paragraph), by edge kind, as accumulateEvidence counts them.
 * Computed where the mentions are, it spares sending them out and the pairs back (on the corpus,
 * 155,823 mentions and 248,254 pairs).
 *
 * Both counts come out of one aggregate over the pairs of both levels (a cable-level pair counts
 * a cable, a paragraph-level pair a paragraph; every paragraph pair is also a cable pair), not out
 * of two aggregates joined on the pair: the planner cannot estimate the rows of such CTEs, and
 * when it guessed a handful it joined the two by nested loop, 66 s instead of 3 on the corpus.
 */
async function addCableEvidence(trx: Transaction<Database>, cableIds: number[], half: 0 | 1 | null = null): Promise<void> {
  if (cableIds.length === 0) return;
  const { person, organization, country } = MENTION_KIND;
  // The entity kinds a pair joins, first to second, and the edge kind it makes; with `half`, only
  // the pairs whose source (the first) has that parity.
  const pairKinds = sql`((a.kind = ${person} and b.kind = ${person} and a.entity_id < b.entity_id)
    or (a.kind = ${person} and b.kind = ${organization}) or (a.kind = ${organization} and b.kind = ${country}))
    ${half === null ? sql`` : sql`and a.entity_id % 2 = ${half}`}`;
  // Every join here is on equality, and PostgreSQL cannot estimate the rows of these CTEs (a
  // thousandth of them at times): a nested loop it picks on such a guess joins every row with
  // every other (568 s instead of 2.5 on the corpus, with the parity test). Hash joins only, for
  // this statement; the setting is put back as it was.
  const setting = await sql<{ before: string }>`
    select before, set_config('enable_nestloop', 'off', true) from (select current_setting('enable_nestloop') as before offset 0) s
  `.execute(trx);
  await sql`
    with m as (select distinct cable_id, paragraph, kind, entity_id from mention
               where cable_id = any(${intArray(cableIds)}::int[]) and entity_id is not null),
         c as (select distinct cable_id, kind, entity_id from m),
         pairs as (select a.kind as a, b.kind as b, a.entity_id as s, b.entity_id as t, 0 as paragraph, 1 as cable
                   from c a join c b using (cable_id) where ${pairKinds}
                   union all
                   select a.kind, b.kind, a.entity_id, b.entity_id, 1, 0
                   from m a join m b using (cable_id, paragraph) where ${pairKinds})
    insert into edge (kind, source_id, target_id, paragraphs, cables)
    select (case when a = ${organization} then ${EDGE_KIND.organizationCountry}
                 when b = ${organization} then ${EDGE_KIND.personOrganization}
                 else ${EDGE_KIND.personPerson} end)::smallint,
           s, t, sum(paragraph)::int, sum(cable)::int
    from pairs group by 1, 2, 3
    order by 1, 2, 3
    on conflict (kind, source_id, target_id)
    do update set paragraphs = edge.paragraphs + excluded.paragraphs, cables = edge.cables + excluded.cables
  `.execute(trx);
  await sql`select set_config('enable_nestloop', ${setting.rows[0]!.before}, true)`.execute(trx);
}

/** Surname blocks, cables and entities settled in one step; a step does at most this much. */
export const SETTLE_STEP = { surnames: 2_000, cables: 2_000, entities: 20_000 };

/**
 * One step of settling the graph, in `trx`: while surname blocks are pending, up to
 * `limits.surnames` of them are clustered (persons first, so that edges are counted from mentions
 * pointing at their final persons); then up to `limits.cables` pending cables get their held
 * person mentions (graph_pending_mention) and their evidence goes into the edge table; once no
 * cable is left waiting, up to `limits.entities` stale counts are worked out again.
 * Returns how many of each it settled (all 0: nothing is left).
 */
export async function settleStep(
  trx: Transaction<Database>,
  limits = SETTLE_STEP,
): Promise<{ surnames: number; cables: number; entities: number }> {
  const surnames = await clusterPendingSurnames(trx, limits.surnames);
  if (surnames) return { surnames, cables: 0, entities: 0 };
  const pending = await trx
    .selectFrom('graph_pending_cable')
    .select(['cable_id', 'halves'])
    .orderBy('cable_id')
    .limit(limits.cables)
    .execute();
  const cableIds = pending.map((row) => row.cable_id);
  if (cableIds.length) {
    await releaseHeldMentions(trx, cableIds);
    await addCableEvidence(
      trx,
      pending.filter((row) => row.halves === 0).map((row) => row.cable_id),
    );
    await addMissingHalves(trx, pending);
    await sql`delete from graph_pending_cable where cable_id = any(${intArray(cableIds)}::int[])`.execute(trx);
    // Counts wait for the last of the cables: mentions still held would be left out of them.
    if (cableIds.length === limits.cables) return { surnames: 0, cables: cableIds.length, entities: 0 };
  }
  const entities = await refreshStaleCounts(trx, limits.entities);
  return { surnames: 0, cables: cableIds.length, entities };
}

/** Clusters up to `limit` pending surname blocks; returns how many (0: none was waiting). */
export async function clusterPendingSurnames(trx: Transaction<Database>, limit: number): Promise<number> {
  const surnames = await trx.selectFrom('graph_pending_surname').select('surname_key').orderBy('surname_key').limit(limit).execute();
  if (surnames.length === 0) return 0;
  const touched = emptyTouched();
  for (const row of surnames) touched.surnameKeys.add(row.surname_key);
  await clusterSurnameBlocks(trx, touched);
  await markStale(trx, touched);
  await sql`delete from graph_pending_surname where surname_key = any(${surnames.map((row) => row.surname_key)}::text[])`.execute(trx);
  return surnames.length;
}

/** Works out the counts of up to `limit` stale entities again; returns how many. */
export async function refreshStaleCounts(trx: Transaction<Database>, limit: number): Promise<number> {
  const stale = await trx
    .selectFrom('graph_stale_count')
    .select(['kind', 'entity_id'])
    .orderBy('kind')
    .orderBy('entity_id')
    .limit(limit)
    .execute();
  if (stale.length === 0) return 0;
  const touched = emptyTouched();
  for (const row of stale) (row.kind === MENTION_KIND.person ? touched.persons : touched.organizations).add(row.entity_id);
  await refreshCounts(trx, touched);
  await sql`
    delete from graph_stale_count where (kind, entity_id) in (
      select * from unnest(${intArray(stale.map((r) => r.kind))}::smallint[], ${intArray(stale.map((r) => r.entity_id))}::int[]))
  `.execute(trx);
  return stale.length;
}

/**
 * refreshStaleCounts for a settler beside the evidence's (settleGraph): only while every waiting
 * cable's mentions are in `mention` and no surname block waits, else 0 (settleStep goes on).
 */
export async function refreshReleasedCounts(trx: Transaction<Database>, limit: number): Promise<number> {
  const { rows } = await sql<{ waiting: boolean }>`
    select exists (select from graph_pending_cable where not released) or exists (select from graph_pending_surname) as waiting
  `.execute(trx);
  return rows[0]!.waiting ? 0 : refreshStaleCounts(trx, limit);
}

/**
 * Moves the held person mentions of up to `limit` waiting cables into `mention` and marks them
 * released, for addReleasedEvidence. Returns how many; 0 when none is left to move, or while
 * surname blocks wait for clustering (their records have no person yet: settleStep goes on).
 */
export async function releasePendingCables(trx: Transaction<Database>, limit: number): Promise<number> {
  await lockSettler(trx, 0);
  const blocks = await trx.selectFrom('graph_pending_surname').select('surname_key').limit(1).execute();
  if (blocks.length) return 0;
  const rows = await trx
    .selectFrom('graph_pending_cable')
    .select('cable_id')
    .where('released', '=', false)
    .orderBy('cable_id')
    .limit(limit)
    .execute();
  const cableIds = rows.map((row) => row.cable_id);
  if (cableIds.length === 0) return 0;
  await releaseHeldMentions(trx, cableIds);
  await sql`update graph_pending_cable set released = true where cable_id = any(${intArray(cableIds)}::int[])`.execute(trx);
  return cableIds.length;
}

/**
 * Adds one half of the evidence of up to `limit` released cables still without it: the pairs
 * whose source id has parity `half`. Two settlers, one per half, write disjoint edge keys and can
 * run at once (each under the shared graph lock). A cable whose other half is in already leaves
 * graph_pending_cable. Returns how many cables it took. The settlers of one half (in any process)
 * take turns.
 */
export async function addReleasedEvidence(trx: Transaction<Database>, half: 0 | 1, limit: number): Promise<number> {
  await lockSettler(trx, 1 + half);
  const bit = 1 << half;
  const rows = await sql<{ cable_id: number }>`
    select cable_id from graph_pending_cable where released and halves & ${bit} = 0 order by cable_id limit ${limit}
  `.execute(trx);
  const cableIds = rows.rows.map((row) => row.cable_id);
  if (cableIds.length === 0) return 0;
  await addCableEvidence(trx, cableIds, half);
  // The other half's settler may hold some of these rows: locked in key order, so that the two
  // wait on each other (until its commit) rather than deadlock, and read again once it is in.
  const marked = await sql<{ cable_id: number; halves: number }>`
    update graph_pending_cable g set halves = g.halves | ${bit}
    from (select cable_id from graph_pending_cable where cable_id = any(${intArray(cableIds)}::int[]) order by cable_id for update) l
    where g.cable_id = l.cable_id
    returning g.cable_id, g.halves
  `.execute(trx);
  const done = marked.rows.filter((row) => row.halves === 3).map((row) => row.cable_id);
  if (done.length) await sql`delete from graph_pending_cable where cable_id = any(${intArray(done)}::int[])`.execute(trx);
  return cableIds.length;
}

/**
 * One settler of each kind at a time, across processes (two ingest workers may settle at once):
 * two settlers of the same half would both add it. Taken after the shared graph lock.
 */
async function lockSettler(trx: Transaction<Database>, settler: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('cablegraph settlers'), ${settler}::int)`.execute(trx);
}

/** Adds the half of the evidence that cables with only one half in the edge table lack. */
async function addMissingHalves(trx: Transaction<Database>, pending: { cable_id: number; halves: number }[]): Promise<void> {
  for (const half of [0, 1] as const) {
    const other = 1 << (1 - half);
    await addCableEvidence(
      trx,
      pending.filter((row) => row.halves === other).map((row) => row.cable_id),
      half,
    );
  }
}

/**
 * Completes the evidence of those of `cableIds` with one half of it in the edge table (a parallel
 * settling stopped between their halves), from their mentions as they stand (as they stood for
 * the first half: every change to them comes through here first), and stops them waiting.
 */
async function finishHalfSettled(trx: Transaction<Database>, cableIds: number[]): Promise<void> {
  if (cableIds.length === 0) return;
  const { rows } = await sql<{ cable_id: number; halves: number }>`
    select cable_id, halves from graph_pending_cable where cable_id = any(${intArray(cableIds)}::int[]) and halves <> 0
  `.execute(trx);
  if (rows.length === 0) return;
  await addMissingHalves(trx, rows);
  await sql`delete from graph_pending_cable where cable_id = any(${intArray(rows.map((row) => row.cable_id))}::int[])`.execute(trx);
}

/** Settles everything pending, in `trx`. */
export async function settleAll(trx: Transaction<Database>): Promise<void> {
  for (;;) {
    const settled = await settleStep(trx);
    if (settled.surnames === 0 && settled.cables === 0 && settled.entities === 0) return;
  }
}

/** Serializes the writers of the entity graph (ingest batches, settling, judgments) across connections. */
export async function lockGraphWrites(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('cablegraph graph writes'))`.execute(trx);
}

/**
 * The graph lock shared: settlers that may run beside each other (releasePendingCables and the two
 * halves of addReleasedEvidence, which touch disjoint rows) keep every other writer out.
 */
export async function lockGraphWritesShared(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock_shared(hashtext('cablegraph graph writes'))`.execute(trx);
}

/** Cable and mention counts and date spans of every entity whose evidence the batch changed. */
export async function refreshCounts(trx: Transaction<Database>, touched: Touched): Promise<void> {
  const persons = [...touched.persons];
  const organizations = [...touched.organizations];
  if (persons.length) {
    await sql`
      update person set cable_count = coalesce(s.cables, 0), mention_count = coalesce(m.mentions, 0), first_date = s.first, last_date = s.last
      from unnest(${intArray(persons)}::int[]) as u(id)
      left join (select cp.person_id, count(distinct cp.cable_id)::int as cables, min(c.date) as first, max(c.date) as last
                 from cable_person cp join cable c on c.id = cp.cable_id where cp.person_id = any(${intArray(persons)}::int[]) group by 1) s on s.person_id = u.id
      left join (select entity_id, count(*)::int as mentions from mention where kind = ${MENTION_KIND.person} and entity_id = any(${intArray(persons)}::int[]) group by 1) m
             on m.entity_id = u.id
      where person.id = u.id
    `.execute(trx);
  }
  if (organizations.length) {
    await sql`
      update organization set cable_count = coalesce(s.cables, 0), mention_count = coalesce(m.mentions, 0)
      from unnest(${intArray(organizations)}::int[]) as u(id)
      left join (select organization_id, count(distinct cable_id)::int as cables from cable_organization
                 where organization_id = any(${intArray(organizations)}::int[]) group by 1) s on s.organization_id = u.id
      left join (select entity_id, count(*)::int as mentions from mention where kind = ${MENTION_KIND.organization} and entity_id = any(${intArray(organizations)}::int[]) group by 1) m
             on m.entity_id = u.id
      where organization.id = u.id
    `.execute(trx);
  }
}
