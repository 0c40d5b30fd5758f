// Property: whatever a key asks, over the 1,295 corpus cables, the answer holds no text, entity,
// edge or count that comes only from portions above the key's clearance. Queries are generated
// with fast-check from templates over the whole API (cables, paragraphs, persons, mentions,
// search, co-mention ties, neighbourhoods, paths, dashboards), with arguments drawn towards what
// each key must not see: cables it sees in part, persons named in its hidden portions, words
// found only there. The oracle is computed here, from the tables, with the marking rules of
// src/extract/markings.ts, not from the views under test.
//
// CABLEGRAPH_PROPERTY_RUNS sets the queries per key (default 25); the figure reported in
// docs/RELIABILITY.md comes from a larger run.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApiKey } from '../../src/db/api-keys.ts';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { allows, CLEARANCES, type Access, type Clearance } from '../../src/extract/markings.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { createServer } from '../../src/server.ts';
import { databaseKinds, openTestDatabase, SHARED } from '../helpers/databases.ts';

const RUNS = Number(process.env.CABLEGRAPH_PROPERTY_RUNS || 25);
const READERS: [Clearance, boolean][] = [
  ['UNCLASSIFIED', false],
  ['SBU', false],
  ['CONFIDENTIAL', false],
  ['CONFIDENTIAL', true],
  ['SECRET', false],
  ['SECRET', true],
];
const PERSON = 1;

interface Oracle {
  /** Words (5+ letters) found only in portions the reader may not see. */
  hiddenWords: Set<string>;
  hiddenWordList: string[];
  /** Texts of the paragraphs the reader may see. */
  visibleTexts: Set<string>;
  /** Persons with at least one visible mention. */
  visiblePersons: Set<number>;
  /** Visible co-mention evidence: person-person pair "a:b" (a < b) -> cables. */
  personTies: Map<string, number>;
  partialRefs: string[];
  /** Persons named in hidden portions (some also in visible ones). */
  hiddenPersons: number[];
}

const words = (text: string) => text.toLowerCase().match(/[a-z]{5,}/g) ?? [];

async function buildOracle(handle: DatabaseHandle, reader: Access): Promise<Oracle> {
  const db = handle.db;
  const cables = await db
    .selectFrom('cable')
    .select([
      'id',
      'ref',
      'subject',
      'origin',
      'classification',
      'caveats',
      'access_rank',
      'noforn',
      'subject_access_rank',
      'subject_noforn',
    ])
    .execute();
  const paragraphs = await db.selectFrom('paragraph').select(['cable_id', 'position', 'text', 'access_rank', 'noforn']).execute();
  const mentions = await db
    .selectFrom('mention')
    .select(['kind', 'entity_id', 'cable_id', 'paragraph'])
    .where('entity_id', 'is not', null)
    .execute();
  const visible = new Set<string>();
  const hiddenText: string[] = [];
  const visibleText: string[] = [];
  const visibleTexts = new Set<string>();
  const seenCables = new Set<number>();
  for (const p of paragraphs) {
    if (allows(reader, { rank: p.access_rank, noforn: p.noforn })) {
      visible.add(`${p.cable_id}:${p.position}`);
      visibleText.push(p.text);
      visibleTexts.add(p.text);
      seenCables.add(p.cable_id);
    } else hiddenText.push(p.text);
  }
  const partialRefs: string[] = [];
  for (const c of cables) {
    const subjectVisible = allows(reader, { rank: c.subject_access_rank, noforn: c.subject_noforn });
    if (c.subject) (subjectVisible ? visibleText : hiddenText).push(c.subject);
    if (subjectVisible) seenCables.add(c.id);
    if (seenCables.has(c.id)) visibleText.push(c.ref, c.origin ?? '', c.classification ?? '', ...c.caveats);
    if (seenCables.has(c.id) && !allows(reader, { rank: c.access_rank, noforn: c.noforn })) partialRefs.push(c.ref);
  }
  const shown = new Set(visibleText.flatMap(words));
  const hiddenWords = new Set(hiddenText.flatMap(words).filter((w) => !shown.has(w)));
  const visiblePersons = new Set<number>();
  const hiddenPersons = new Set<number>();
  const byCable = new Map<number, Set<number>>();
  for (const m of mentions) {
    if (m.kind !== PERSON) continue;
    if (!visible.has(`${m.cable_id}:${m.paragraph}`)) {
      hiddenPersons.add(m.entity_id!);
      continue;
    }
    visiblePersons.add(m.entity_id!);
    let persons = byCable.get(m.cable_id);
    if (!persons) byCable.set(m.cable_id, (persons = new Set()));
    persons.add(m.entity_id!);
  }
  const personTies = new Map<string, number>();
  for (const persons of byCable.values()) {
    const list = [...persons].sort((a, b) => a - b);
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const key = `${list[i]}:${list[j]}`;
        personTies.set(key, (personTies.get(key) ?? 0) + 1);
      }
  }
  return {
    hiddenWords,
    hiddenWordList: [...hiddenWords].sort(),
    visibleTexts,
    visiblePersons,
    personTies,
    partialRefs: partialRefs.sort(),
    hiddenPersons: [...hiddenPersons].sort((a, b) => a - b),
  };
}

const PERSON_FIELDS = `id name aliases cableCount mentionCount titles { title }
  cables(first: 3) { totalCount edges { node { ref subject } } }
  coMentioned(first: 5) { person { id name } cables paragraphs }`;

/** Query templates: each takes drawn arguments and gives a query the reader sends. */
const TEMPLATES: ((a: { ref: string; person: string; other: string; word: string; first: number }) => string)[] = [
  (a) => `{ cable(ref: "${a.ref}") { partial subject body tags summary classifiedBy { name }
      paragraphs(first: ${a.first}) { totalCount edges { node { text classification persons(first: 5) { edges { node { id name aliases } } } } } }
      persons(first: ${a.first}) { totalCount edges { node { id name aliases } } }
      organizations(first: ${a.first}) { totalCount edges { node { id name } } }
      mentions(first: ${a.first}) { totalCount edges { node { surface title sentence } } }
      dates(first: ${a.first}) { totalCount } references(first: 5) { totalCount } } }`,
  (a) => `{ node(id: "${a.person}") { ... on Person { ${PERSON_FIELDS}
      mentions(first: ${a.first}) { totalCount edges { node { surface title sentence paragraph { text } cable { ref partial } } } }
      affiliations(first: 5) { edges { node { __typename } } } } } }`,
  (a) =>
    `{ search(query: "${a.word}", first: ${a.first}) { totalCount edges { node { snippet rank paragraph { text } cable { ref subject } } } } }`,
  (a) => `{ persons(filter: { name: "${a.word.slice(0, 6)}" }, first: ${a.first}) { totalCount edges { node { ${PERSON_FIELDS} } } } }`,
  (a) =>
    `{ neighborhood(id: "${a.person}", depth: 2, limit: ${a.first * 3}) { nodes { id kind label weight } edges { source target kind weight paragraphs } } }`,
  (a) =>
    `{ path(from: "${a.person}", to: "${a.other}", maxHops: 3) { length weight steps { paragraphs cable { ref subject } paragraph { text } from { id } to { id } } } }`,
  (a) => `{ topEntities(kind: PERSON, first: ${a.first}) { count label entity { id } }
      timeline(interval: YEAR) { count } cables(first: 1) { totalCount } }`,
  (a) => `{ coMentionNetwork(first: ${a.first}) { nodes { id kind label } edges { source target kind weight } }
      organizations(first: ${a.first}) { totalCount edges { node { id name aliases } } } }`,
  (a) => `{ cables(filter: { text: "${a.word}" }, first: ${a.first}) { totalCount edges { node { ref partial subject body } } } }`,
];

/** Every string in a response with the key it sits under. */
function strings(value: unknown, key = '', out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([key, value]);
  else if (Array.isArray(value)) for (const item of value) strings(item, key, out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, k, out);
  return out;
}

/** Every object in a response. */
function objects(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(value)) for (const item of value) objects(item, out);
  else if (value && typeof value === 'object') {
    out.push(value as Record<string, unknown>);
    for (const v of Object.values(value)) objects(v, out);
  }
  return out;
}

const ID_KEYS = new Set(['id', 'source', 'target', 'cursor']);

describe.each(databaseKinds)('no leak above a key’s clearance, over the corpus (%s)', (kind) => {
  let handle: DatabaseHandle;
  let yoga: ReturnType<typeof createServer>;
  const keys = new Map<string, string>();
  const oracles = new Map<string, Oracle>();
  let allPersons: number[] = [];
  let allRefs: string[] = [];
  let queries = 0;

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    const summary = await ingestPaths(handle.db, [`${SHARED}corpus/cablegate-1295.csv.gz`]);
    expect(summary.failed).toEqual([]);
    for (const [clearance, noforn] of READERS) {
      const name = `${clearance}${noforn ? '+NOFORN' : ''}`;
      keys.set(name, (await createApiKey(handle.db, { name, clearance, noforn })).key);
      oracles.set(name, await buildOracle(handle, { rank: CLEARANCES.indexOf(clearance), noforn }));
    }
    allRefs = (await handle.db.selectFrom('cable').select('ref').orderBy('ref').execute()).map((c) => c.ref);
    allPersons = (await handle.db.selectFrom('person').select('id').orderBy('id').execute()).map((p) => p.id);
    yoga = createServer({ db: handle.db, apiKeys: { cacheMs: 60_000 } });
  }, 900_000);

  afterAll(async () => {
    console.info(`visibility property (${kind}): ${queries} generated queries, ${RUNS} per key, ${READERS.length} keys`);
    await handle?.close();
  });

  it.each(READERS.map(([clearance, noforn]) => `${clearance}${noforn ? '+NOFORN' : ''}`))(
    'finds nothing from above %s',
    async (name) => {
      const oracle = oracles.get(name)!;
      // A key that sees every cable whole (none is above SECRET//NOFORN here) is asked about any.
      const refs = oracle.partialRefs.length > 0 ? oracle.partialRefs : allRefs;
      if (name !== 'SECRET+NOFORN') expect(oracle.partialRefs.length).toBeGreaterThan(0);
      const person = (id: number) => encodeGlobalID('Person', String(id));
      const args = fc.record({
        ref: fc.constantFrom(...refs),
        person: fc
          .oneof(fc.constantFrom(...(oracle.hiddenPersons.length > 0 ? oracle.hiddenPersons : allPersons)), fc.constantFrom(...allPersons))
          .map(person),
        other: fc.constantFrom(...allPersons).map(person),
        word:
          oracle.hiddenWordList.length > 0 ? fc.constantFrom(...oracle.hiddenWordList) : fc.constantFrom('embassy', 'minister', 'election'),
        first: fc.integer({ min: 1, max: 20 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.nat(TEMPLATES.length - 1), args, async (template, drawn) => {
          const query = TEMPLATES[template]!(drawn);
          queries++;
          const response = await yoga.fetch('http://yoga/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.get(name)}` },
            body: JSON.stringify({ query }),
          });
          const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
          expect(body.errors, query).toBeUndefined();
          for (const [key, text] of strings(body.data)) {
            if (ID_KEYS.has(key)) continue;
            const leaked = words(text).find((w) => oracle.hiddenWords.has(w));
            expect(leaked, `${key}: ${text.slice(0, 200)}\nin ${query}`).toBeUndefined();
          }
          for (const object of objects(body.data)) {
            if (typeof object.text === 'string' && 'classification' in object)
              expect(oracle.visibleTexts.has(object.text), `paragraph text not visible: ${object.text.slice(0, 100)}`).toBe(true);
            if (typeof object.id === 'string' && object.id.length > 8) {
              const { typename, id } = decodeGlobalID(object.id);
              if (typename === 'Person') expect(oracle.visiblePersons.has(Number(id)), `person ${id} has no visible mention`).toBe(true);
            }
          }
          // Ties between persons count visible shared cables only.
          const centre = (body.data as any)?.node;
          if (centre?.coMentioned) {
            const self = Number(decodeGlobalID(centre.id).id);
            for (const tie of centre.coMentioned) {
              const other = Number(decodeGlobalID(tie.person.id).id);
              const pair = self < other ? `${self}:${other}` : `${other}:${self}`;
              expect(tie.cables, `tie ${pair}`).toBe(oracle.personTies.get(pair) ?? 0);
            }
          }
        }),
        { numRuns: RUNS, seed: 20261123 + READERS.findIndex(([c, n]) => `${c}${n ? '+NOFORN' : ''}` === name) },
      );
    },
    600_000,
  );
});
