// Finding cables (filters, orders, pagination), persons by title, and full-text search, over the
// seeds and the invented cables of finding-fixtures.ts. Expected answers are computed here, in
// JavaScript, from the rows the ingest stored, not by the queries under test.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

import { encodeGlobalID } from '@pothos/plugin-relay';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { SEED_DIR } from '../../src/main.ts';
import { createServer } from '../../src/server.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { writeFixtureCsv } from '../helpers/finding-fixtures.ts';
import { graphql, type GraphQLResponse } from '../helpers/graphql.ts';

interface StoredCable {
  id: number;
  ref: string;
  date: string | null;
  origin: string | null;
  classification: string | null;
  tags: string[];
}

/** What the database holds, read back plainly: the oracle for every expectation below. */
interface Stored {
  cables: StoredCable[];
  personsOf: Map<number, Set<number>>;
  organizationsOf: Map<number, Set<number>>;
  /** Country codes each cable is about: mentioned in its text, or one of its geographic TAGS. */
  countriesOf: Map<number, Set<string>>;
  countryNames: Map<string, string>;
  paragraphs: { cable_id: number; text: string }[];
  titles: { person_id: number; title: string }[];
  persons: { id: number; name: string; country_code: string | null }[];
  organizations: { id: number; name: string }[];
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V) {
  const set = map.get(key) ?? new Set<V>();
  set.add(value);
  map.set(key, set);
}

async function readStored(handle: DatabaseHandle): Promise<Stored> {
  const db = handle.db;
  const cables = await db.selectFrom('cable').select(['id', 'ref', 'date', 'origin', 'classification', 'tags']).execute();
  const personsOf = new Map<number, Set<number>>();
  for (const row of await db.selectFrom('cable_person').select(['cable_id', 'person_id']).execute()) {
    if (row.person_id !== null) addTo(personsOf, row.cable_id, row.person_id);
  }
  const organizationsOf = new Map<number, Set<number>>();
  for (const row of await db.selectFrom('cable_organization').select(['cable_id', 'organization_id']).execute()) {
    if (row.organization_id !== null) addTo(organizationsOf, row.cable_id, row.organization_id);
  }
  const countries = await db.selectFrom('country').select(['id', 'code', 'name']).execute();
  const codeOf = new Map(countries.map((c) => [c.id, c.code]));
  const countriesOf = new Map<number, Set<string>>();
  for (const row of await db.selectFrom('mention').select(['cable_id', 'entity_id']).where('kind', '=', 3).execute()) {
    if (row.entity_id !== null) addTo(countriesOf, row.cable_id, codeOf.get(row.entity_id)!);
  }
  const geographic = await db
    .selectFrom('cable_topic')
    .innerJoin('topic', 'topic.id', 'cable_topic.topic_id')
    .select(['cable_topic.cable_id', 'topic.country_id'])
    .where('topic.country_id', 'is not', null)
    .execute();
  for (const row of geographic) addTo(countriesOf, row.cable_id, codeOf.get(row.country_id!)!);
  const titles = (
    await sql<{ person_id: number; title: string }>`
      select person_id, unnest(titles) as title from cable_person where person_id is not null
    `.execute(db)
  ).rows;
  const persons = await db
    .selectFrom('person')
    .leftJoin('country', 'country.id', 'person.country_id')
    .select(['person.id', 'person.name', 'country.code as country_code'])
    .execute();
  return {
    cables,
    personsOf,
    organizationsOf,
    countriesOf,
    countryNames: new Map(countries.map((c) => [c.code, c.name])),
    paragraphs: await db.selectFrom('paragraph').select(['cable_id', 'text']).execute(),
    titles,
    persons,
    organizations: await db.selectFrom('organization').select(['id', 'name']).execute(),
  };
}

/** Date order as the API has it: undated first, then by date, then by id. */
function byDate(a: StoredCable, b: StoredCable): number {
  return (a.date ?? '0001-01-01').localeCompare(b.date ?? '0001-01-01') || a.id - b.id;
}

const CABLE_PAGE = `
  query ($filter: CableFilter, $orderBy: CableOrder, $first: Int, $after: String, $last: Int, $before: String) {
    cables(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { ref } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

describe.each(databaseKinds)('finding cables, persons and paragraphs on %s', (kind) => {
  let handle: DatabaseHandle;
  let yoga: ReturnType<typeof createServer>;
  let fixtures: string | undefined;
  let stored: Stored;

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    fixtures = writeFixtureCsv();
    const summary = await ingestPaths(handle.db, [fixtures, SEED_DIR]);
    expect(summary.failed).toEqual([]);
    yoga = createServer({ db: handle.db });
    stored = await readStored(handle);
  });
  afterAll(async () => {
    await handle?.close();
    if (fixtures) rmSync(dirname(fixtures), { recursive: true, force: true });
  });

  const personNamed = (name: string) => {
    const person = stored.persons.find((p) => p.name === name);
    if (!person) throw new Error(`fixture person ${name} was not resolved`);
    return person;
  };
  const organizationNamed = (name: string) => {
    const organization = stored.organizations.find((o) => o.name === name);
    if (!organization) throw new Error(`fixture organization ${name} was not resolved`);
    return organization;
  };

  async function allPages(variables: Record<string, unknown>, size: number) {
    const refs: string[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let page = 0; page < 100; page++) {
      const result: GraphQLResponse = await graphql(yoga, CABLE_PAGE, { ...variables, first: size, after });
      expect(result.errors).toBeUndefined();
      const connection: any = result.data.cables;
      totalCount = connection.totalCount;
      expect(connection.edges.length).toBeLessThanOrEqual(size);
      refs.push(...connection.edges.map((e: { node: { ref: string } }) => e.node.ref));
      if (!connection.pageInfo.hasNextPage) break;
      expect(connection.edges).toHaveLength(size);
      after = connection.pageInfo.endCursor;
    }
    return { refs, totalCount };
  }

  it('applies each condition, alone and combined, as the stored rows say', async () => {
    const lavoie = personNamed('Pierre Lavoie');
    const nato = organizationNamed('NATO');
    const lavoieId = encodeGlobalID('Person', String(lavoie.id));
    const natoId = encodeGlobalID('Organization', String(nato.id));
    const about = (cable: StoredCable, code: string) => stored.countriesOf.get(cable.id)?.has(code) ?? false;
    const says = (cable: StoredCable, word: RegExp) => stored.paragraphs.some((p) => p.cable_id === cable.id && word.test(p.text));
    const cases: { filter: Record<string, unknown>; expected: (cable: StoredCable) => boolean }[] = [
      { filter: {}, expected: () => true },
      {
        filter: { dateFrom: '2007-01-01', dateTo: '2008-06-30' },
        expected: (c) => c.date !== null && c.date >= '2007-01-01' && c.date <= '2008-06-30',
      },
      { filter: { origin: 'embassy PARIS' }, expected: (c) => c.origin === 'Embassy Paris' },
      { filter: { classification: 'secret' }, expected: (c) => c.classification === 'SECRET' },
      { filter: { topic: 'prel' }, expected: (c) => c.tags.includes('PREL') },
      { filter: { tag: 'PREL' }, expected: (c) => c.tags.includes('PREL') },
      { filter: { topic: 'PREL', tag: 'CA' }, expected: (c) => c.tags.includes('PREL') && c.tags.includes('CA') },
      { filter: { person: lavoieId }, expected: (c) => stored.personsOf.get(c.id)?.has(lavoie.id) ?? false },
      { filter: { organization: natoId }, expected: (c) => stored.organizationsOf.get(c.id)?.has(nato.id) ?? false },
      { filter: { country: 'FR' }, expected: (c) => about(c, 'FR') },
      { filter: { country: 'france' }, expected: (c) => about(c, 'FR') },
      // SP is Spain's TAGS (FIPS) code; the country filter takes ISO codes.
      { filter: { country: 'ES' }, expected: (c) => about(c, 'ES') },
      { filter: { country: 'Atlantis' }, expected: () => false },
      { filter: { text: 'centrifuges' }, expected: (c) => says(c, /\bcentrifuge/i) },
      {
        filter: { topic: 'PARM', country: 'Iran', classification: 'CONFIDENTIAL' },
        expected: (c) => c.tags.includes('PARM') && about(c, 'IR') && c.classification === 'CONFIDENTIAL',
      },
      {
        filter: { person: lavoieId, dateFrom: '2008-01-01', country: 'CA' },
        expected: (c) =>
          (stored.personsOf.get(c.id)?.has(lavoie.id) ?? false) && c.date !== null && c.date >= '2008-01-01' && about(c, 'CA'),
      },
      {
        filter: { organization: natoId, person: lavoieId, origin: 'Secretary of State' },
        expected: (c) =>
          (stored.organizationsOf.get(c.id)?.has(nato.id) ?? false) &&
          (stored.personsOf.get(c.id)?.has(lavoie.id) ?? false) &&
          c.origin === 'Secretary of State',
      },
      { filter: { text: '   ' }, expected: () => true },
    ];
    let nonTrivial = 0;
    for (const { filter, expected } of cases) {
      const want = stored.cables
        .filter(expected)
        .sort(byDate)
        .map((c) => c.ref);
      if (want.length > 0 && want.length < stored.cables.length) nonTrivial++;
      const result = await graphql(yoga, CABLE_PAGE, { filter, first: 100 });
      expect(result.errors, JSON.stringify(filter)).toBeUndefined();
      expect(result.data.cables.totalCount, JSON.stringify(filter)).toBe(want.length);
      expect(
        result.data.cables.edges.map((e: { node: { ref: string } }) => e.node.ref),
        JSON.stringify(filter),
      ).toEqual(want);
    }
    // The fixtures make most conditions select some cables but not all.
    expect(nonTrivial).toBeGreaterThanOrEqual(13);
  });

  it.each(['DATE_ASC', 'DATE_DESC'])('pages through %s without duplicates or gaps, forwards and backwards', async (orderBy) => {
    // No condition on the date, which would leave the undated cable out.
    const filter = { classification: 'unclassified' };
    const matching = stored.cables.filter((c) => c.classification === 'UNCLASSIFIED').sort(byDate);
    const want = (orderBy === 'DATE_DESC' ? matching.reverse() : matching).map((c) => c.ref);
    expect(want.length).toBeGreaterThan(12);
    // Undated cables count as oldest: first in DATE_ASC, last in DATE_DESC.
    const undated = stored.cables.find((c) => c.date === null)!.ref;
    expect(orderBy === 'DATE_ASC' ? want[0] : want.at(-1)).toBe(undated);

    const forwards = await allPages({ filter, orderBy }, 7);
    expect(forwards.totalCount).toBe(want.length);
    expect(forwards.refs).toEqual(want);

    const backwards: string[] = [];
    let before: string | null = null;
    for (let page = 0; page < 100; page++) {
      const result: GraphQLResponse = await graphql(yoga, CABLE_PAGE, { filter, orderBy, last: 6, before });
      expect(result.errors).toBeUndefined();
      const connection: any = result.data.cables;
      backwards.unshift(...connection.edges.map((e: { node: { ref: string } }) => e.node.ref));
      if (!connection.pageInfo.hasPreviousPage) break;
      before = connection.pageInfo.startCursor;
    }
    expect(backwards).toEqual(want);
  });

  it('orders by relevance when asked, pages by offset, and refuses mixed cursors', async () => {
    const filter = { text: 'centrifuge or cascade' };
    const first = await graphql(yoga, CABLE_PAGE, { filter, orderBy: 'RELEVANCE', first: 1 });
    expect(first.errors).toBeUndefined();
    // The cable returning to both words, close together, in one paragraph.
    expect(first.data.cables.edges[0].node.ref).toBe('08VIENNA901');
    const ranked = await allPages({ filter, orderBy: 'RELEVANCE' }, 1);
    const dated = await allPages({ filter }, 100);
    expect(ranked.refs[0]).toBe('08VIENNA901');
    expect(new Set(ranked.refs).size).toBe(ranked.refs.length);
    expect([...ranked.refs].sort()).toEqual([...dated.refs].sort());
    expect(ranked.totalCount).toBe(dated.totalCount);

    const relevanceCursor = first.data.cables.pageInfo.endCursor;
    const dateCursor = (await graphql(yoga, CABLE_PAGE, { first: 1 })).data.cables.pageInfo.endCursor;
    const mixedOne = await graphql(yoga, CABLE_PAGE, { filter, orderBy: 'RELEVANCE', first: 1, after: dateCursor });
    expect(mixedOne.errors?.[0]?.extensions?.code).toBe('BAD_CURSOR');
    const mixedOther = await graphql(yoga, CABLE_PAGE, { filter, first: 1, after: relevanceCursor });
    expect(mixedOther.errors?.[0]?.extensions?.code).toBe('BAD_CURSOR');
    const withoutText = await graphql(yoga, CABLE_PAGE, { orderBy: 'RELEVANCE', first: 1 });
    expect(withoutText.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses ids that do not decode or name another type, and text with nothing to search', async () => {
    const lavoie = personNamed('Pierre Lavoie');
    const invalid = [
      { person: 'not-a-global-id' },
      { person: encodeGlobalID('Cable', '03OTTAWA692') },
      { person: encodeGlobalID('Person', 'abc') },
      { organization: encodeGlobalID('Person', String(lavoie.id)) },
      { organization: '' },
    ];
    for (const filter of invalid) {
      const result = await graphql(yoga, CABLE_PAGE, { filter, first: 1 });
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(filter)).toBe('INVALID_ID');
      expect(result.data?.cables ?? null).toBeNull();
    }
    const stopWords = await graphql(yoga, CABLE_PAGE, { filter: { text: 'the of and' }, first: 1 });
    expect(stopWords.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // A person the graph does not hold is a valid id that matches nothing.
    const unknown = await graphql(yoga, CABLE_PAGE, { filter: { person: encodeGlobalID('Person', '987654') }, first: 1 });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data.cables.totalCount).toBe(0);
  });

  it('finds persons by part of any title they held, alone and with a country', async () => {
    const query = `
      query ($filter: PersonFilter) {
        persons(filter: $filter, first: 100) { totalCount nodes { name titles { title } } }
      }
    `;
    const cases = [
      { filter: { title: 'foreign MIN' }, part: 'foreign min', country: null },
      { filter: { title: 'minister' }, part: 'minister', country: null },
      { filter: { title: 'minister', country: 'CA' }, part: 'minister', country: 'CA' },
      { filter: { title: '%' }, part: '%', country: null },
    ];
    for (const { filter, part, country } of cases) {
      const ids = new Set(stored.titles.filter((t) => t.title.toLowerCase().includes(part)).map((t) => t.person_id));
      const want = stored.persons
        .filter((p) => ids.has(p.id) && (country === null || p.country_code === country))
        .map((p) => p.name)
        .sort();
      const result = await graphql(yoga, query, { filter });
      expect(result.errors).toBeUndefined();
      expect(result.data.persons.totalCount, JSON.stringify(filter)).toBe(want.length);
      expect(result.data.persons.nodes.map((p: { name: string }) => p.name).sort(), JSON.stringify(filter)).toEqual(want);
      for (const person of result.data.persons.nodes) {
        expect(person.titles.some((t: { title: string }) => t.title.toLowerCase().includes(part))).toBe(true);
      }
    }
    expect(stored.titles.some((t) => t.title === 'Foreign Minister')).toBe(true);
  });

  const SEARCH = `
    query ($query: String!, $first: Int, $after: String) {
      search(query: $query, first: $first, after: $after) {
        totalCount
        edges { cursor node { rank snippet paragraph { number text } cable { ref } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  `;

  it('ranks a paragraph with the words above one with fewer of them, and highlights them', async () => {
    const result = await graphql(yoga, SEARCH, { query: 'centrifuge or cascade', first: 100 });
    expect(result.errors).toBeUndefined();
    const hits = result.data.search.edges.map((e: { node: any }) => e.node);
    const matching = stored.paragraphs.filter((p) => /\b(centrifuge|cascade)/i.test(p.text));
    expect(result.data.search.totalCount).toBe(matching.length);
    expect(hits).toHaveLength(matching.length);
    const dense = hits.findIndex((h: any) => h.cable.ref === '08VIENNA901' && h.paragraph.number === 1);
    const both = hits.findIndex((h: any) => h.cable.ref === '08VIENNA902' && h.paragraph.number === 1);
    const one = hits.findIndex((h: any) => h.cable.ref === '08VIENNA902' && h.paragraph.number === 2);
    expect(dense).toBe(0);
    expect(both).toBeGreaterThan(dense);
    expect(one).toBeGreaterThan(both);
    const ranks = hits.map((h: any) => h.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(ranks.every((rank: number) => rank > 0 && rank < 1)).toBe(true);
    expect(hits[0].snippet).toContain('«centrifuge» «cascade»');
    expect(hits[0].snippet).not.toContain('\n');
    expect(hits[one].snippet).toMatch(/«centrifuge»/);
    expect(hits[one].snippet).not.toMatch(/«cascade»/);

    const phrase = await graphql(yoga, SEARCH, { query: '"centrifuge cascade"' });
    const refs = phrase.data.search.edges.map((e: any) => e.node.cable.ref);
    expect(refs).toEqual(['08VIENNA901']);
    // The words required, not the phrase: the second cable has both, apart.
    const both2 = await graphql(yoga, SEARCH, { query: 'centrifuge cascade' });
    expect(both2.data.search.edges.map((e: any) => e.node.cable.ref)).toEqual(['08VIENNA901', '08VIENNA902']);
    const excluded = await graphql(yoga, SEARCH, { query: 'centrifuge -cascade' });
    expect(excluded.data.search.edges.map((e: any) => [e.node.cable.ref, e.node.paragraph.number])).toEqual([['08VIENNA902', 2]]);
  });

  it('pages through search hits in a stable order, with a fixed number of statements', async () => {
    const query = 'minister';
    const whole = await graphql(yoga, SEARCH, { query, first: 100 });
    const firstHundred = whole.data.search.edges.map((e: any) => `${e.node.cable.ref}:${e.node.paragraph.number}`);
    const paged: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const result: GraphQLResponse = await graphql(yoga, SEARCH, { query, first: 7, after });
      expect(result.data.search.totalCount).toBe(whole.data.search.totalCount);
      paged.push(...result.data.search.edges.map((e: any) => `${e.node.cable.ref}:${e.node.paragraph.number}`));
      if (!result.data.search.pageInfo.hasNextPage) break;
      after = result.data.search.pageInfo.endCursor;
    }
    expect(paged.length).toBeGreaterThan(100);
    expect(paged).toHaveLength(whole.data.search.totalCount);
    expect(new Set(paged).size).toBe(paged.length);
    expect(paged.slice(0, 100)).toEqual(firstHundred);
    expect(paged.length).toBe(stored.paragraphs.filter((p) => /\bministers?\b/i.test(p.text)).length);

    const statements = async (first: number) => {
      const before = handle.statements.count;
      const result = await graphql(yoga, SEARCH, { query, first });
      expect(result.errors).toBeUndefined();
      return handle.statements.count - before;
    };
    expect(await statements(2)).toBe(await statements(40));
  });

  it('refuses a query with nothing to search for, and takes any other text as text', async () => {
    for (const query of ['', '   ', 'the of and', '!!!']) {
      const result = await graphql(yoga, SEARCH, { query });
      expect(result.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
    }
    const hostile = await graphql(yoga, SEARCH, { query: "centrifuge'); drop table cable; --" });
    expect(hostile.errors).toBeUndefined();
    const cables = await graphql(yoga, '{ cables { totalCount } }');
    expect(cables.data.cables.totalCount).toBe(stored.cables.length);
    const badCursor = await graphql(yoga, SEARCH, { query: 'minister', after: 'nonsense' });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_CURSOR');
  });
});
