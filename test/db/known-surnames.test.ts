// A surname extraction knows as a person's from several cables is recognized where a cable writes
// it alone, whatever order the cables arrive in, and forgotten when the evidence goes.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import * as surnameFacts from '../../src/db/migrations/0014-surname-facts.ts';
import { DERIVED_LOCAL_INDEX } from '../../src/db/resolve/known-surnames.ts';
import { nameParts } from '../../src/db/resolve/name-keys.ts';
import { writeCables, type CableRecord } from '../../src/db/write-cables.ts';
import type { CableGraphRecord } from '../../src/db/write-graph.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { edgesFromScratch, storedEdges, storedSurnameFacts, surnameFactsFromScratch } from '../helpers/graph.ts';

/**
 * A cable of numbered paragraphs; `persons` are what extraction found: a name, its title and the
 * paragraph and exact text of each mention.
 */
function cable(
  ref: string,
  date: string,
  paragraphs: string[],
  persons: { name: string; titles?: string[]; surfaces: [number, string][] }[],
  hash = '',
): CableRecord {
  let body = '';
  const paragraphRecords: CableRecord['paragraphs'] = [];
  paragraphs.forEach((text, position) => {
    paragraphRecords.push({ position, number: position, marking: null, text, start: body.length, end: body.length + text.length });
    body += `${text}\n\n`;
  });
  const graph: CableGraphRecord = { persons: [], organizations: [], mentions: [], dates: [], topics: [], countryNames: {} };
  persons.forEach((person, local) => {
    graph.persons.push({
      localIndex: local,
      name: person.name,
      aliases: [],
      titles: person.titles ?? [],
      organizations: [],
      countryCode: null,
    });
    for (const [position, surface] of person.surfaces) {
      const start = paragraphRecords[position]!.start + paragraphs[position]!.indexOf(surface);
      graph.mentions.push({
        kind: 'person',
        local,
        countryCode: null,
        paragraph: position,
        start,
        end: start + surface.length,
        surface,
        title: null,
      });
    }
  });
  return {
    ref,
    date,
    classification: 'CONFIDENTIAL',
    caveats: [],
    origin: null,
    subject: null,
    tags: [],
    declassifyOn: null,
    classifiedBy: null,
    signers: [],
    recipients: [],
    infoRecipients: [],
    summary: null,
    header: null,
    body,
    source: 'test',
    sourceFormat: 'text',
    contentHash: `hash-${ref}${hash}`,
    extractorVersion: 1,
    paragraphs: paragraphRecords,
    references: [],
    graph,
  };
}

const titled = (ref: string, date: string) =>
  cable(
    ref,
    date,
    ['SUBJECT: BUDGET TALKS', '1. President Ivo Zorgan met Lena Varga on the budget.'],
    [
      { name: 'Ivo Zorgan', titles: ['President'], surfaces: [[1, 'Ivo Zorgan']] },
      { name: 'Lena Varga', surfaces: [[1, 'Lena Varga']] },
    ],
  );
// Extraction found Lena Varga here, but not the surname written alone.
const untitled = cable(
  '09TESTVILLE9',
  '2009-09-01',
  [
    'SUBJECT: PRESSURE ON ZORGAN',
    '1. Lena Varga said unions are pressuring Zorgan over the budget.',
    "2. Zorgan's allies met in Zorgrad. The Hague was quiet.",
  ],
  [{ name: 'Lena Varga', surfaces: [[1, 'Lena Varga']] }],
);
const known = [titled('09TESTVILLE1', '2009-01-10'), titled('09TESTVILLE2', '2009-02-10'), titled('09TESTVILLE3', '2009-03-10')];

async function graph(handle: DatabaseHandle) {
  const records = await handle.db
    .selectFrom('cable_person')
    .innerJoin('cable', 'cable.id', 'cable_person.cable_id')
    .leftJoin('person', 'person.id', 'cable_person.person_id')
    .select(['cable.ref', 'cable_person.id', 'cable_person.name', 'cable_person.local_index', 'person.name as person'])
    .orderBy('cable.ref')
    .orderBy('cable_person.local_index')
    .execute();
  const mentions = await handle.db
    .selectFrom('mention')
    .innerJoin('cable', 'cable.id', 'mention.cable_id')
    .leftJoin('person', 'person.id', 'mention.entity_id')
    .select(['cable.ref', 'mention.paragraph', 'mention.span_start', 'mention.surface', 'person.name as person'])
    .where('mention.kind', '=', 1)
    .orderBy('cable.ref')
    .orderBy('mention.span_start')
    .execute();
  const persons = await handle.db.selectFrom('person').select(['name', 'cable_count', 'mention_count']).orderBy('name').execute();
  return {
    records: records.map((r) => `${r.ref} ${r.name}${r.local_index >= DERIVED_LOCAL_INDEX ? ' (derived)' : ''} -> ${r.person}`),
    mentions: mentions.map((m) => `${m.ref} ¶${m.paragraph} @${m.span_start} ${m.surface} -> ${m.person}`),
    persons,
  };
}

describe.each(databaseKinds)('surnames known from other cables on %s', (kind) => {
  let first: DatabaseHandle;
  let second: DatabaseHandle;
  beforeAll(async () => {
    [first, second] = await Promise.all([openTestDatabase(kind), openTestDatabase(kind)]);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('recognizes a known surname written alone, and attaches it to its individual', async () => {
    await writeCables(first.db, [...known, untitled]);
    const state = await graph(first);
    expect(state.records.filter((r) => r.startsWith('09TESTVILLE9'))).toEqual([
      '09TESTVILLE9 Lena Varga -> Lena Varga',
      '09TESTVILLE9 Zorgan (derived) -> Ivo Zorgan',
    ]);
    // Each place the surname stands alone, the upper-case subject line included; not the place name
    // "Zorgrad" nor "The Hague".
    const offsets = [untitled.body.indexOf('ZORGAN'), untitled.body.indexOf('Zorgan over'), untitled.body.indexOf("Zorgan's")];
    expect(state.mentions.filter((m) => m.startsWith('09TESTVILLE9') && m.includes('Zorgan'))).toEqual([
      `09TESTVILLE9 ¶0 @${offsets[0]} ZORGAN -> Ivo Zorgan`,
      `09TESTVILLE9 ¶1 @${offsets[1]} Zorgan -> Ivo Zorgan`,
      `09TESTVILLE9 ¶2 @${offsets[2]} Zorgan -> Ivo Zorgan`,
    ]);
    expect(state.persons).toContainEqual({ name: 'Ivo Zorgan', cable_count: 4, mention_count: 6 });
    expect(await storedEdges(first.db)).toEqual(await edgesFromScratch(first.db));
    expect(await storedSurnameFacts(first.db)).toEqual(await surnameFactsFromScratch(first.db));
  });

  it('finds the same when the cable comes before the surname is known, one cable at a time', async () => {
    await writeCables(second.db, [untitled]);
    expect((await graph(second)).records).toEqual(['09TESTVILLE9 Lena Varga -> Lena Varga']);
    for (const record of known) await writeCables(second.db, [record]);
    const state = await graph(second);
    expect(state.records).toContain('09TESTVILLE9 Zorgan (derived) -> Ivo Zorgan');
    expect(state).toEqual(await graph(first));
    expect(await storedEdges(second.db)).toEqual(await edgesFromScratch(second.db));
    expect(await storedSurnameFacts(second.db)).toEqual(await surnameFactsFromScratch(second.db));
  });

  it('forgets the surname when a rewritten cable takes the evidence away', async () => {
    const without = cable(
      '09TESTVILLE3',
      '2009-03-10',
      ['SUBJECT: BUDGET TALKS', '1. Lena Varga spoke on the budget.'],
      [{ name: 'Lena Varga', surfaces: [[1, 'Lena Varga']] }],
      '-rewritten',
    );
    await writeCables(second.db, [without]);
    const state = await graph(second);
    expect(state.records.filter((r) => r.includes('derived'))).toEqual([]);
    expect(state.mentions.filter((m) => m.startsWith('09TESTVILLE9') && m.includes('Zorgan'))).toEqual([]);
    expect(state.persons).toContainEqual({ name: 'Ivo Zorgan', cable_count: 2, mention_count: 2 });
    expect(await storedEdges(second.db)).toEqual(await edgesFromScratch(second.db));
    expect(await storedSurnameFacts(second.db)).toEqual(await surnameFactsFromScratch(second.db));
  });

  it('keeps per surname the cables and writings of its records as records go, and refuses a record changed in place', async () => {
    // Two individuals of one surname in one cable: the cable counts once for the surname.
    const both = cable(
      '09TESTVILLE4',
      '2009-04-10',
      ['SUBJECT: BUDGET TALKS', '1. President Ivo Zorgan met his cousin Ana Zorgan.'],
      [
        { name: 'Ivo Zorgan', titles: ['President'], surfaces: [[1, 'Ivo Zorgan']] },
        { name: 'Ana Zorgan', surfaces: [[1, 'Ana Zorgan']] },
      ],
    );
    await writeCables(first.db, [both]);
    const zorgan = async () =>
      (await storedSurnameFacts(first.db)).cables.find((row) => row.surname_key === nameParts('Zorgan').surname)?.cables;
    expect(await zorgan()).toBe(4);
    expect(await storedSurnameFacts(first.db)).toEqual(await surnameFactsFromScratch(first.db));

    const cableId = (await first.db.selectFrom('cable').select('id').where('ref', '=', '09TESTVILLE4').executeTakeFirstOrThrow()).id;
    await first.db.deleteFrom('cable_person').where('cable_id', '=', cableId).where('name', '=', 'Ana Zorgan').execute();
    expect(await zorgan()).toBe(4);
    expect(await storedSurnameFacts(first.db)).toEqual(await surnameFactsFromScratch(first.db));
    await first.db.deleteFrom('cable_person').where('cable_id', '=', cableId).execute();
    expect(await zorgan()).toBe(3);
    expect(await storedSurnameFacts(first.db)).toEqual(await surnameFactsFromScratch(first.db));

    // A cable deleted takes its records with it (the foreign key cascades).
    await sql`delete from mention where cable_id in (select id from cable where ref = '09TESTVILLE1')`.execute(first.db);
    await sql`delete from cable where ref = '09TESTVILLE1'`.execute(first.db);
    expect(await zorgan()).toBe(2);
    expect(await storedSurnameFacts(first.db)).toEqual(await surnameFactsFromScratch(first.db));

    await expect(sql`update cable_person set name = 'Ivo Zorgan-Smith' where name = 'Ivo Zorgan'`.execute(first.db)).rejects.toThrow(
      /are not changed in place/,
    );
    expect(await storedSurnameFacts(first.db)).toEqual(await surnameFactsFromScratch(first.db));
  });

  it('fills the surname facts from the records already stored when the migration runs', async () => {
    const before = await storedSurnameFacts(second.db);
    expect(before.writings.length).toBeGreaterThan(0);
    // Migrations take a database of no known tables.
    const untyped = second.db as unknown as Kysely<unknown>;
    await surnameFacts.down(untyped);
    await surnameFacts.up(untyped);
    expect(await storedSurnameFacts(second.db)).toEqual(before);
    expect(before).toEqual(await surnameFactsFromScratch(second.db));
  });
});
