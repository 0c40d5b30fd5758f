// A surname extraction knows as a person's from several cables is recognized where a cable writes
// it alone, whatever order the cables arrive in, and forgotten when the evidence goes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { DERIVED_LOCAL_INDEX } from '../../src/db/resolve/known-surnames.ts';
import { writeCables, type CableRecord } from '../../src/db/write-cables.ts';
import type { CableGraphRecord } from '../../src/db/write-graph.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { edgesFromScratch, storedEdges } from '../helpers/graph.ts';

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
  });

  it('finds the same when the cable comes before the surname is known, one cable at a time', async () => {
    await writeCables(second.db, [untitled]);
    expect((await graph(second)).records).toEqual(['09TESTVILLE9 Lena Varga -> Lena Varga']);
    for (const record of known) await writeCables(second.db, [record]);
    const state = await graph(second);
    expect(state.records).toContain('09TESTVILLE9 Zorgan (derived) -> Ivo Zorgan');
    expect(state).toEqual(await graph(first));
    expect(await storedEdges(second.db)).toEqual(await edgesFromScratch(second.db));
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
  });
});
