// The entity model of the API (paragraphs as nodes, organizations, countries, topics, mentions,
// dates, signers and officials) and every traversal between them, over the seed cables and a few
// fixture cables of our own, on each database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { SEED_DIR } from '../../src/main.ts';
import { createServer } from '../../src/server.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';
import { graphql } from '../helpers/graphql.ts';

const FIXTURES = new URL('../fixtures/entities-api/', import.meta.url).pathname;
const REFS = ['03OTTAWA1284', '03OTTAWA692', '05PARIS4321', '05PARIS4400'];

interface Span {
  start: number;
  end: number;
}
interface MentionNode extends Span {
  surface: string;
  sentence: string;
  entity: { __typename: string; id: string } | null;
  paragraph: { id: string; number: number };
}
interface ParagraphNode extends Span {
  id: string;
  number: number;
  text: string;
  mentions: { nodes: MentionNode[] };
  persons: { nodes: { id: string }[] };
  organizations: { nodes: { id: string }[] };
  countries: { nodes: { id: string }[] };
  dates: { nodes: { text: string }[] };
}

/** Distinct values in order of first appearance. */
function firstSeen<T>(values: T[]): T[] {
  return [...new Set(values)];
}

describe.each(databaseKinds)('entity types and traversals on %s', (kind) => {
  let handle: DatabaseHandle;
  let yoga: ReturnType<typeof createServer>;
  const query = async (text: string, variables: Record<string, unknown> = {}) => {
    const result = await graphql(yoga, text, variables);
    expect(result.errors).toBeUndefined();
    return result.data;
  };
  const personNamed = async (name: string) => {
    const data = await query(`query ($name: String) { persons(filter: { name: $name }) { nodes { id name } } }`, { name });
    return data.persons.nodes.find((p: { name: string }) => p.name === name) as { id: string; name: string };
  };

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    const summary = await ingestPaths(handle.db, [SEED_DIR, FIXTURES]);
    expect(summary.failed).toEqual([]);
    expect(summary.inserted).toBe(REFS.length);
    // Cost limits are the server's business (test/api/limits); these queries walk whole cables on purpose.
    yoga = createServer({ db: handle.db, limits: { maxCost: 1_000_000 } });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("lists in each paragraph exactly the entities whose mentions fall in it, as the cable's mentions place them", async () => {
    for (const ref of REFS) {
      const data = await query(
        `query ($ref: String!) {
          cable(ref: $ref) {
            body
            mentions(first: 100) { totalCount nodes { start end surface entity { __typename ... on Node { id } } } }
            dates(first: 100) { nodes { start end text } }
            paragraphs(first: 100) {
              nodes {
                id number text start end
                mentions(first: 100) { nodes { start end surface } }
                persons(first: 100) { nodes { id } }
                organizations(first: 100) { nodes { id } }
                countries(first: 100) { nodes { id } }
                dates(first: 100) { nodes { text } }
              }
            }
          }
        }`,
        { ref },
      );
      const cable = data.cable;
      expect(cable.mentions.totalCount).toBeLessThanOrEqual(100);
      const mentions: (MentionNode & { entity: { __typename: string; id: string } })[] = cable.mentions.nodes;
      expect(mentions.length).toBeGreaterThan(0);
      for (const mention of mentions) expect(cable.body.slice(mention.start, mention.end)).toBe(mention.surface);
      const paragraphs: ParagraphNode[] = cable.paragraphs.nodes;
      for (const paragraph of paragraphs) {
        expect(cable.body.slice(paragraph.start, paragraph.end)).toBe(paragraph.text);
        const inside = mentions.filter((m) => m.start >= paragraph.start && m.end <= paragraph.end);
        expect(paragraph.mentions.nodes.map((m) => [m.start, m.surface])).toEqual(inside.map((m) => [m.start, m.surface]));
        const ofType = (type: string) => firstSeen(inside.filter((m) => m.entity?.__typename === type).map((m) => m.entity.id));
        expect(paragraph.persons.nodes.map((p) => p.id)).toEqual(ofType('Person'));
        expect(paragraph.organizations.nodes.map((o) => o.id)).toEqual(ofType('Organization'));
        expect(paragraph.countries.nodes.map((c) => c.id)).toEqual(ofType('Country'));
        const dates = cable.dates.nodes.filter((d: Span) => d.start >= paragraph.start && d.end <= paragraph.end);
        expect(paragraph.dates.nodes.map((d) => d.text)).toEqual(dates.map((d: { text: string }) => d.text));
      }
      // Every mention is in one paragraph.
      expect(paragraphs.reduce((sum, p) => sum + p.mentions.nodes.length, 0)).toBe(mentions.length);
    }
  });

  it('fetches paragraphs again by their global ids, and refuses ids that name no paragraph', async () => {
    const data = await query(`{ cable(ref: "03OTTAWA692") { paragraphs { nodes { id number text } } } }`);
    const paragraphs = data.cable.paragraphs.nodes;
    const ids = paragraphs.map((p: { id: string }) => p.id).reverse();
    const again = await query(`query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Paragraph { number text cable { ref } } } }`, { ids });
    expect(again.nodes.map((p: { number: number }) => p.number)).toEqual(paragraphs.map((p: { number: number }) => p.number).reverse());
    expect(again.nodes.every((p: { cable: { ref: string } }) => p.cable.ref === '03OTTAWA692')).toBe(true);
    expect(again.nodes[0].text).toBe(paragraphs[paragraphs.length - 1].text);

    const encode = (value: string) => Buffer.from(value).toString('base64');
    const missing = await graphql(
      yoga,
      `
        query ($id: ID!) {
          node(id: $id) {
            id
          }
        }
      `,
      { id: encode('Paragraph:03OTTAWA692:99') },
    );
    expect(missing.data.node).toBeNull();
    const malformed = await graphql(
      yoga,
      `
        query ($id: ID!) {
          node(id: $id) {
            id
          }
        }
      `,
      { id: encode('Paragraph:no position') },
    );
    expect(malformed.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
    const badPerson = await graphql(
      yoga,
      `
        query ($id: ID!) {
          node(id: $id) {
            id
          }
        }
      `,
      { id: encode('Person:chretien') },
    );
    expect(badPerson.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
  });

  it('fetches organizations, countries and topics again by their global ids', async () => {
    const data = await query(`{
      cable(ref: "05PARIS4321") {
        organizations { nodes { id name } }
        countries { nodes { id code } }
        topics { nodes { id code } }
      }
    }`);
    const listed = [...data.cable.organizations.nodes, ...data.cable.countries.nodes, ...data.cable.topics.nodes];
    const again = await query(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { id __typename ... on Organization { name } ... on Country { code } ... on Topic { code } } }`,
      { ids: listed.map((item) => item.id) },
    );
    expect(again.nodes.map(({ __typename, ...rest }: { __typename: string }) => rest)).toEqual(listed);
    expect(new Set(again.nodes.map((n: { __typename: string }) => n.__typename))).toEqual(new Set(['Organization', 'Country', 'Topic']));
    const encode = (value: string) => Buffer.from(value).toString('base64');
    const bad = await graphql(
      yoga,
      `
        query ($id: ID!) {
          node(id: $id) {
            id
          }
        }
      `,
      { id: encode('Organization:PCO') },
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
  });

  it('quotes the sentence each mention sits in', async () => {
    const moreau = await personNamed('Anne Moreau');
    const data = await query(
      `query ($id: ID!) { node(id: $id) { ... on Person { mentions { nodes { surface sentence cable { ref } paragraph { number } } } } } }`,
      { id: moreau.id },
    );
    const inFirst = data.node.mentions.nodes.filter((m: { cable: { ref: string } }) => m.cable.ref === '05PARIS4321');
    expect(inFirst.map((m: { sentence: string }) => m.sentence)).toEqual([
      "MFA's Anne Moreau said the Ministry of Finance still disagrees with the proposal.",
      'Moreau added that Minister Delacroix will travel to Berlin on June 20.',
      // "Amb." stands before a name: it ends no sentence.
      'Amb. Ledbetter plans to raise the issue with Moreau again.',
    ]);
    expect(inFirst.every((m: { paragraph: { number: number } }) => m.paragraph.number === 2)).toBe(true);

    // The opening of a paragraph ("- 11. (C)") is not part of its first sentence; wrapped lines are joined.
    const seed = await query(`{ cable(ref: "03OTTAWA692") { mentions(first: 100) { nodes { surface sentence } } } }`);
    const laverdure = seed.cable.mentions.nodes.filter((m: { surface: string }) => m.surface === 'Laverdure');
    expect(laverdure.map((m: { sentence: string }) => m.sentence)).toEqual([
      "PMO's Paul Genet told the DCM that Laverdure has the lead on Iraq.",
      "Commodore Dan McNeil, Laverdure's Director of Operations and Strategic Planning, told us that the Prime Minister continues to be heavily engaged in lobbying Security Council heads of state.",
    ]);
    for (const mention of seed.cable.mentions.nodes) expect(mention.sentence).toContain(mention.surface);
  });

  it('counts a cable for a country it names and for one only its TAGS give', async () => {
    const data = await query(`{
      germany: country(code: "de") { code name cables { totalCount nodes { ref } } }
      france: country(code: "FR") { cables { nodes { ref } } persons { nodes { name } } }
      unknown: country(code: "ZZ") { code }
      cable(ref: "05PARIS4321") {
        countries { nodes { code } }
        topics { nodes { code kind name country { code } cables { nodes { ref } } } }
      }
    }`);
    // Nothing in 05PARIS4321 names Germany; its TAGS carry GM.
    expect(data.germany).toMatchObject({ code: 'DE', name: 'Germany', cables: { totalCount: 1, nodes: [{ ref: '05PARIS4321' }] } });
    // 03OTTAWA692 names France too ("France's determination").
    expect(data.france.cables.nodes.map((c: { ref: string }) => c.ref)).toEqual(['03OTTAWA692', '05PARIS4321', '05PARIS4400']);
    expect(data.france.persons.nodes.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['Pierre Delacroix', 'Anne Moreau', 'Louise Garnier']),
    );
    expect(data.unknown).toBeNull();
    // Named countries first, in order of mention; then those only tagged.
    const countries = data.cable.countries.nodes.map((c: { code: string }) => c.code);
    expect(countries[countries.length - 1]).toBe('DE');
    expect(countries).toContain('FR');
    const gm = data.cable.topics.nodes.find((t: { code: string }) => t.code === 'GM');
    expect(gm).toMatchObject({ kind: 'GEOGRAPHIC', name: 'Germany', country: { code: 'DE' }, cables: { nodes: [{ ref: '05PARIS4321' }] } });
    expect(data.cable.topics.nodes.map((t: { code: string }) => t.code)).toEqual(['PREL', 'ETRD', 'FR', 'GM']);

    const bad = await graphql(
      yoga,
      `
        {
          country(code: "France") {
            code
          }
        }
      `,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
  });

  it('lists countries most-cited first and topics most-used first, of a kind when asked', async () => {
    const data = await query(`{
      countries(first: 100) { totalCount nodes { code cables { totalCount } } }
      topics(first: 100) { totalCount nodes { code kind cables { totalCount } } }
      geographic: topics(filter: { kind: GEOGRAPHIC }, first: 100) { totalCount nodes { code country { code } } }
      page: countries(first: 2) { pageInfo { hasNextPage endCursor } nodes { code } }
    }`);
    const counts = data.countries.nodes.map((c: { cables: { totalCount: number } }) => c.cables.totalCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(data.countries.totalCount).toBe(data.countries.nodes.length);
    const usage = data.topics.nodes.map((t: { cables: { totalCount: number } }) => t.cables.totalCount);
    expect(usage).toEqual([...usage].sort((a, b) => b - a));
    expect(data.topics.nodes[0]).toMatchObject({ code: 'PREL', cables: { totalCount: 4 } });
    const geographic = data.topics.nodes.filter((t: { kind: string }) => t.kind === 'GEOGRAPHIC').map((t: { code: string }) => t.code);
    expect(data.geographic.nodes.map((t: { code: string }) => t.code)).toEqual(geographic);
    expect(data.geographic.totalCount).toBe(geographic.length);
    expect(data.geographic.nodes.every((t: { country: unknown }) => t.country !== null)).toBe(true);

    const next = await query(`query ($after: String) { countries(first: 2, after: $after) { nodes { code } } }`, {
      after: data.page.pageInfo.endCursor,
    });
    expect([...data.page.nodes, ...next.countries.nodes].map((c: { code: string }) => c.code)).toEqual(
      data.countries.nodes.slice(0, 4).map((c: { code: string }) => c.code),
    );
  });

  it('ties persons and organizations both ways, with the evidence', async () => {
    const data = await query(`{
      organizations(filter: { name: "foreign affairs", country: "fr" }) {
        totalCount
        nodes {
          id name aliases kind country { code } cableCount mentionCount
          cables { nodes { ref } }
          mentions { totalCount }
          members { edges { cableCount node { id name } } }
        }
      }
      ministries: organizations(filter: { kind: MINISTRY }, first: 100) { totalCount nodes { kind } }
      all: organizations(first: 100) { totalCount nodes { cableCount } }
    }`);
    expect(data.organizations.totalCount).toBe(1);
    const mfa = data.organizations.nodes[0];
    expect(mfa).toMatchObject({ kind: 'MINISTRY', country: { code: 'FR' }, cableCount: 2 });
    expect([mfa.name, ...mfa.aliases]).toEqual(expect.arrayContaining(['MFA', 'Ministry of Foreign Affairs']));
    expect(mfa.cables.nodes.map((c: { ref: string }) => c.ref)).toEqual(['05PARIS4321', '05PARIS4400']);
    expect(mfa.mentions.totalCount).toBe(mfa.mentionCount);
    // "MFA's Anne Moreau" ties her to the ministry in one cable.
    expect(mfa.members.edges).toEqual([{ cableCount: 1, node: { id: expect.any(String), name: 'Anne Moreau' } }]);
    expect(data.ministries.nodes.every((o: { kind: string }) => o.kind === 'MINISTRY')).toBe(true);
    const counts = data.all.nodes.map((o: { cableCount: number }) => o.cableCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    const person = await query(
      `query ($id: ID!) { node(id: $id) { ... on Person { name country { code name } countryName countryCode affiliations { edges { cableCount node { id } } } } } }`,
      { id: mfa.members.edges[0].node.id },
    );
    expect(person.node).toMatchObject({ country: { code: 'FR', name: 'France' }, countryName: 'France', countryCode: 'FR' });
    expect(person.node.affiliations.edges).toEqual([{ cableCount: 1, node: { id: mfa.id } }]);

    // The seed: "PCO's Rob Fonberg", "PCO Foreign Policy Advisor Claude Laverdure".
    const pco = await query(`{ organizations(filter: { name: "PCO" }) { nodes { name members { nodes { name } } } } }`);
    expect(pco.organizations.nodes[0].members.nodes.map((p: { name: string }) => p.name).sort()).toEqual([
      'Claude Laverdure',
      'Rob Fonberg',
    ]);
  });

  it('resolves signers and the Classified By official to persons of the graph', async () => {
    const data = await query(`{
      seed: cable(ref: "03OTTAWA692") {
        signerNames
        signers { totalCount nodes { name countryCode } }
        classifiedBy { name title person { name countryCode titles { title } } }
      }
      first: cable(ref: "05PARIS4321") { classifiedBy { person { id name mentions { nodes { sentence paragraph { number } } } } } signers { nodes { id name } } }
      second: cable(ref: "05PARIS4400") { classifiedBy { name person { id } } signers { nodes { id } } }
    }`);
    expect(data.seed.signerNames).toEqual(['CELLUCCI']);
    expect(data.seed.signers).toEqual({ totalCount: 1, nodes: [{ name: 'CELLUCCI', countryCode: 'US' }] });
    expect(data.seed.classifiedBy).toMatchObject({
      name: 'Stephen R. Kelly',
      title: 'Deputy Chief of Mission',
      person: { name: 'Stephen R. Kelly', countryCode: 'US', titles: [{ title: 'Deputy Chief of Mission' }] },
    });
    // The official's mention is on the Classified By line, in the header block.
    const wexley = data.first.classifiedBy.person;
    expect(wexley.name).toBe('Harold T. Wexley');
    expect(wexley.mentions.nodes).toEqual([
      { sentence: expect.stringContaining('Classified By: Deputy Chief of Mission Harold T. Wexley'), paragraph: { number: 0 } },
    ]);
    // The ambassador who classified 05PARIS4400 also signed it: one person.
    expect(data.second.classifiedBy.name).toBe('Martin Ledbetter');
    expect(data.second.signers.nodes).toEqual([{ id: data.second.classifiedBy.person.id }]);
    expect(data.first.signers.nodes).toHaveLength(1);
  });

  it('lists mentions of persons and dates of cables, and pages them', async () => {
    const delacroix = await personNamed('Pierre Delacroix');
    const data = await query(
      `query ($id: ID!) {
        node(id: $id) {
          ... on Person {
            mentionCount
            cables { nodes { ref } }
            all: mentions(first: 100) { totalCount nodes { surface start entity { ... on Person { id } } cable { ref } } }
            page: mentions(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { start } }
          }
        }
        cable(ref: "05PARIS4321") { dates { nodes { text date paragraph { number } } } }
      }`,
      { id: delacroix.id },
    );
    const person = data.node;
    expect(person.all.totalCount).toBe(person.mentionCount);
    expect(person.all.nodes.every((m: { entity: { id: string } }) => m.entity.id === delacroix.id)).toBe(true);
    expect(firstSeen(person.all.nodes.map((m: { cable: { ref: string } }) => m.cable.ref))).toEqual(['05PARIS4321', '05PARIS4400']);
    expect(person.cables.nodes.map((c: { ref: string }) => c.ref)).toEqual(['05PARIS4321', '05PARIS4400']);
    expect(person.page.pageInfo.hasNextPage).toBe(true);
    const rest = await query(
      `query ($id: ID!, $after: String) { node(id: $id) { ... on Person { mentions(first: 100, after: $after) { nodes { start } } } } }`,
      {
        id: delacroix.id,
        after: person.page.pageInfo.endCursor,
      },
    );
    expect([...person.page.nodes, ...rest.node.mentions.nodes]).toEqual(
      person.all.nodes.map((m: { start: number }) => ({ start: m.start })),
    );
    expect(data.cable.dates.nodes).toEqual([
      { text: '06/14/2015', date: '2015-06-14', paragraph: { number: 0 } },
      { text: 'June 10', date: '2005-06-10', paragraph: { number: 1 } },
      { text: 'September', date: '2005-09', paragraph: { number: 1 } },
      { text: 'June 20', date: '2005-06-20', paragraph: { number: 2 } },
    ]);
    const bad = await graphql(
      yoga,
      `
        query ($id: ID!) {
          node(id: $id) {
            ... on Person {
              mentions(after: "nonsense") {
                totalCount
              }
            }
          }
        }
      `,
      {
        id: delacroix.id,
      },
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_CURSOR');
  });

  it("pages a person's cables oldest first, each once, with the whole list's length only when asked", async () => {
    const persons = await query('{ persons(first: 100) { nodes { id cableCount } } }');
    const named = persons.persons.nodes.filter((p: { cableCount: number }) => p.cableCount >= 2);
    expect(named.length).toBeGreaterThan(0);
    for (const person of named as { id: string; cableCount: number }[]) {
      // The whole list at once (`last` reads every cable), then one cable a page.
      const all = await query(
        'query ($id: ID!) { node(id: $id) { ... on Person { cables(last: 100) { totalCount nodes { ref date } } } } }',
        { id: person.id },
      );
      const whole = all.node.cables.nodes as { ref: string; date: string | null }[];
      expect(all.node.cables.totalCount).toBe(whole.length);
      expect(whole.length).toBe(person.cableCount);
      expect(new Set(whole.map((c) => c.ref)).size).toBe(whole.length);
      const dates = whole.map((c) => c.date ?? '9999');
      expect(dates).toEqual([...dates].sort());

      const paged: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page = await query(
          `query ($id: ID!, $after: String) { node(id: $id) { ... on Person {
             cables(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ref } } } } }`,
          { id: person.id, after },
        );
        const cables = page.node.cables;
        expect(cables.totalCount).toBe(whole.length);
        paged.push(...cables.nodes.map((c: { ref: string }) => c.ref));
        if (!cables.pageInfo.hasNextPage) break;
        after = cables.pageInfo.endCursor;
      }
      expect(paged).toEqual(whole.map((c) => c.ref));
    }

    // The page alone is one statement; totalCount adds one, for every person of the level at once.
    const statements = async (text: string) => {
      const before = handle.statements.count;
      await query(text);
      return handle.statements.count - before;
    };
    const ids = named.map((p: { id: string }) => p.id);
    const pages = (fields: string) =>
      statements(`query { nodes(ids: ${JSON.stringify(ids)}) { ... on Person { cables(first: 1) { ${fields} } } } }`);
    expect(await pages('nodes { ref }')).toBe(2);
    expect(await pages('totalCount nodes { ref }')).toBe(3);
  });

  it('runs one statement per level of a traversal, whatever the number of items at each level', async () => {
    const statements = async (text: string) => {
      const before = handle.statements.count;
      await query(text);
      return handle.statements.count - before;
    };
    const paragraphsDown =
      'paragraphs(first: 10) { nodes { id persons(first: 10) { nodes { name cables(first: 5) { nodes { ref subject } } } } } }';
    // The cable, its paragraphs, their persons, the pages of the persons' cables.
    expect(await statements(`{ cable(ref: "03OTTAWA692") { ${paragraphsDown} } }`)).toBe(4);
    // From a list, the paragraphs' ids need their cables' refs: one level more, however many cables
    // (one less when every cable the persons lead to was among those already read).
    const fromList = (first: number) => statements(`{ cables(first: ${first}) { nodes { ${paragraphsDown} } } }`);
    expect(await fromList(1)).toBeLessThanOrEqual(6);
    expect(await fromList(4)).toBeLessThanOrEqual(6);

    const mentions = (first: number) =>
      statements(
        `{ cables(first: ${first}) { nodes { mentions(first: 100) { nodes { sentence entity { ... on Node { id } } paragraph { number } cable { ref } } } } } }`,
      );
    // Cables, their mentions, then one level: paragraphs (for the sentences), persons,
    // organizations, countries, and the mentions' cables (by ref: list rows are not in that loader).
    expect(await mentions(4)).toBe(7);
    expect(await mentions(1)).toBe(7);

    const entities = (first: number) =>
      statements(`{
        cables(first: ${first}) {
          nodes {
            organizations { nodes { members { nodes { name } } cables { nodes { ref } } country { code } } }
            countries { nodes { cables { totalCount } persons { totalCount } } }
            topics { nodes { cables { totalCount } } }
            signers { nodes { name } }
            classifiedBy { person { name } }
            dates { nodes { paragraph { number } } }
          }
        }
      }`);
    // One statement per relation asked for (13 of them), plus one for the header fields that
    // signers and classifiedBy start from, none per item.
    expect(await entities(4)).toBe(14);
    expect(await entities(2)).toBe(14);
  });
});
