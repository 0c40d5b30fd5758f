import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { DatabaseHandle } from '../../src/db/connect.ts';
import { settleGraph, writeCables, type CableRecord } from '../../src/db/write-cables.ts';
import {
  addReleasedEvidence,
  clusterPendingSurnames,
  lockGraphWritesShared,
  MENTION_KIND,
  refreshReleasedCounts,
  releasePendingCables,
  type CableGraphRecord,
} from '../../src/db/write-graph.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../helpers/databases.ts';
import { edgesFromScratch, storedEdges } from '../helpers/graph.ts';

function cable(ref: string, date: string, graph: CableGraphRecord, hash = `hash-${ref}`): CableRecord {
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
    body: 'x'.repeat(200),
    source: 'test',
    sourceFormat: 'text',
    contentHash: hash,
    extractorVersion: 1,
    paragraphs: [
      { position: 0, number: 0, marking: null, text: 'header', start: 0, end: 50 },
      { position: 1, number: 1, marking: 'C', text: 'one', start: 50, end: 120 },
      { position: 2, number: 2, marking: 'C', text: 'two', start: 120, end: 200 },
    ],
    references: [],
    graph,
  };
}

const canada = { CA: 'Canada' };
const chretienCable = (hash?: string) =>
  cable(
    '03OTTAWA692',
    '2003-03-12',
    {
      persons: [
        { localIndex: 0, name: 'Jean Chretien', aliases: ['Chretien'], titles: ['Prime Minister'], organizations: [], countryCode: 'CA' },
        {
          localIndex: 1,
          name: 'Claude Laverdure',
          aliases: [],
          titles: ['Foreign Policy Advisor'],
          organizations: ['Privy Council Office'],
          countryCode: 'CA',
        },
      ],
      organizations: [{ localIndex: 0, name: 'Privy Council Office', aliases: ['PCO'], kind: 'agency', countryCode: 'CA' }],
      mentions: [
        {
          kind: 'person',
          local: 0,
          countryCode: null,
          paragraph: 1,
          start: 60,
          end: 73,
          surface: 'Jean Chretien',
          title: 'Prime Minister',
        },
        { kind: 'person', local: 1, countryCode: null, paragraph: 1, start: 80, end: 96, surface: 'Claude Laverdure', title: null },
        { kind: 'organization', local: 0, countryCode: null, paragraph: 1, start: 100, end: 103, surface: 'PCO', title: null },
        { kind: 'country', local: null, countryCode: 'CA', paragraph: 2, start: 130, end: 136, surface: 'Canada', title: null },
        { kind: 'person', local: 0, countryCode: null, paragraph: 2, start: 140, end: 148, surface: 'Chretien', title: null },
      ],
      dates: [{ paragraph: 2, start: 150, end: 158, text: 'March 12', date: '2003-03-12' }],
      topics: [
        { code: 'CA', name: 'Canada', kind: 'geographic', countryCode: 'CA' },
        { code: 'PREL', name: 'External Political Relations', kind: 'subject', countryCode: null },
      ],
      countryNames: canada,
    },
    hash,
  );
const laterCable = () =>
  cable('03OTTAWA1284', '2003-05-07', {
    persons: [{ localIndex: 0, name: 'Chretien', aliases: [], titles: [], organizations: [], countryCode: 'CA' }],
    organizations: [{ localIndex: 0, name: 'PCO', aliases: [], kind: 'agency', countryCode: 'CA' }],
    mentions: [
      { kind: 'person', local: 0, countryCode: null, paragraph: 1, start: 60, end: 68, surface: 'Chretien', title: null },
      { kind: 'organization', local: 0, countryCode: null, paragraph: 1, start: 70, end: 73, surface: 'PCO', title: null },
    ],
    dates: [],
    topics: [{ code: 'CA', name: 'Canada', kind: 'geographic', countryCode: 'CA' }],
    countryNames: canada,
  });

async function snapshot(handle: DatabaseHandle) {
  const persons = await handle.db
    .selectFrom('person')
    .select(['name', 'aliases', 'cable_count', 'mention_count', 'first_date', 'last_date'])
    .orderBy('name')
    .execute();
  const organizations = await handle.db.selectFrom('organization').select(['name', 'aliases', 'cable_count']).orderBy('name').execute();
  const edges = await handle.db
    .selectFrom('edge')
    .innerJoin('person as s', 's.id', 'edge.source_id')
    .innerJoin('person as t', 't.id', 'edge.target_id')
    .select(['s.name as source', 't.name as target', 'edge.paragraphs', 'edge.cables'])
    .where('edge.kind', '=', 1)
    .execute();
  // A pair is stored once, its direction set by ids: compare pairs by their names.
  const pairs = edges
    .map((e) => ({ pair: [e.source, e.target].sort(), paragraphs: e.paragraphs, cables: e.cables }))
    .sort((a, b) => a.pair.join().localeCompare(b.pair.join()));
  const unresolved = await handle.db.selectFrom('mention').select('id').where('entity_id', 'is', null).execute();
  return { persons, organizations, edges: pairs, unresolved: unresolved.length };
}

describe.each(databaseKinds)('the entity graph on %s', (kind) => {
  let first: DatabaseHandle;
  let second: DatabaseHandle;
  let third: DatabaseHandle;
  let fourth: DatabaseHandle;
  beforeAll(async () => {
    [first, second, third, fourth] = await Promise.all([
      openTestDatabase(kind),
      openTestDatabase(kind),
      openTestDatabase(kind),
      openTestDatabase(kind),
    ]);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await third?.close();
    await fourth?.close();
  });

  it('resolves persons and organizations across cables, with edges and counts', async () => {
    await writeCables(first.db, [chretienCable()]);
    await writeCables(first.db, [laterCable()]);
    const state = await snapshot(first);
    expect(state.persons).toEqual([
      { name: 'Claude Laverdure', aliases: [], cable_count: 1, mention_count: 1, first_date: '2003-03-12', last_date: '2003-03-12' },
      { name: 'Jean Chretien', aliases: ['Chretien'], cable_count: 2, mention_count: 3, first_date: '2003-03-12', last_date: '2003-05-07' },
    ]);
    expect(state.organizations).toEqual([{ name: 'Privy Council Office', aliases: ['PCO'], cable_count: 2 }]);
    expect(state.edges).toEqual([{ pair: ['Claude Laverdure', 'Jean Chretien'], paragraphs: 1, cables: 1 }]);
    expect(state.unresolved).toBe(0);
    expect(await storedEdges(first.db)).toEqual(await edgesFromScratch(first.db));
    const topics = await first.db
      .selectFrom('topic')
      .innerJoin('cable_topic', 'cable_topic.topic_id', 'topic.id')
      .select(['code', 'kind'])
      .execute();
    expect(topics.filter((t) => t.code === 'CA')).toHaveLength(2);
  });

  it('builds the same graph whatever the order the cables arrive in', async () => {
    await writeCables(second.db, [laterCable()]);
    await writeCables(second.db, [chretienCable()]);
    expect(await snapshot(second)).toEqual(await snapshot(first));
  });

  it('leaves edges and counts of deferred batches for settling, which gives the same graph', async () => {
    await writeCables(third.db, [chretienCable()], { deferSettling: true });
    await writeCables(third.db, [laterCable()], { deferSettling: true });
    // A pending cable rewritten before settling: its evidence was never counted, so none is taken out.
    const rewritten = chretienCable('hash-rewritten');
    await writeCables(third.db, [rewritten], { deferSettling: true });
    const pending = await third.db.selectFrom('graph_pending_cable').select('cable_id').execute();
    expect(pending).toHaveLength(2);
    const before = await snapshot(third);
    expect(before.edges).toEqual([]);
    expect(before.persons.map((p) => p.cable_count)).toEqual([0, 0]);
    await settleGraph(third.db);
    expect(await third.db.selectFrom('graph_pending_cable').select('cable_id').execute()).toEqual([]);
    expect(await third.db.selectFrom('graph_stale_count').select('entity_id').execute()).toEqual([]);
    expect(await snapshot(third)).toEqual(await snapshot(second));
    expect(await storedEdges(third.db)).toEqual(await edgesFromScratch(third.db));
    // Settling again finds nothing to do and changes nothing.
    await settleGraph(third.db);
    expect(await snapshot(third)).toEqual(await snapshot(second));
  });

  it('leaves the surname blocks of deferred batches for settling to cluster once, which gives the same graph', async () => {
    await writeCables(fourth.db, [chretienCable()], { deferResolution: true });
    await writeCables(fourth.db, [laterCable()], { deferResolution: true });
    const rewritten = chretienCable('hash-rewritten');
    await writeCables(fourth.db, [rewritten], { deferResolution: true });
    // As a run killed before its end leaves them: records in, no person yet, and the person
    // mentions held back for settling (those of the rewritten cable's first version gone with it).
    const pending = await fourth.db.selectFrom('graph_pending_surname').select('surname_key').orderBy('surname_key').execute();
    expect(pending.map((row) => row.surname_key)).toEqual(['chretien', 'laverdure']);
    const before = await snapshot(fourth);
    expect(before.persons).toEqual([]);
    expect(before.unresolved).toBe(0);
    const personMentions = (db: typeof fourth.db) =>
      db.selectFrom('mention').select('id').where('kind', '=', MENTION_KIND.person).execute();
    expect(await personMentions(fourth.db)).toEqual([]);
    const held = await fourth.db.selectFrom('graph_pending_mention').select(['cable_id', 'local_id', 'span_start']).execute();
    expect(held).toHaveLength((await personMentions(second.db)).length);
    expect(before.organizations).toEqual([{ name: 'Privy Council Office', aliases: ['PCO'], cable_count: 0 }]);
    await settleGraph(fourth.db);
    expect(await fourth.db.selectFrom('graph_pending_surname').select('surname_key').execute()).toEqual([]);
    expect(await fourth.db.selectFrom('graph_pending_mention').select('cable_id').execute()).toEqual([]);
    expect(await snapshot(fourth)).toEqual(await snapshot(second));
    expect(await storedEdges(fourth.db)).toEqual(await edgesFromScratch(fourth.db));
  });

  it('re-resolves when a cable changes, leaving no stale person behind', async () => {
    const changed = chretienCable('hash-changed');
    changed.graph!.persons = changed.graph!.persons.slice(0, 1);
    changed.graph!.mentions = changed.graph!.mentions.filter((m) => !(m.kind === 'person' && m.local === 1));
    await writeCables(first.db, [changed]);
    const state = await snapshot(first);
    expect(state.persons.map((p) => p.name)).toEqual(['Jean Chretien']);
    expect(state.edges).toEqual([]);
    expect(await storedEdges(first.db)).toEqual(await edgesFromScratch(first.db));
  });
});

describe.each(databaseKinds)('a deleted cable on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("takes its mentions with it, and leaves the other cables' alone", async () => {
    await writeCables(handle.db, [chretienCable(), laterCable()]);
    const mentions = async () => {
      const rows = await handle.db
        .selectFrom('mention')
        .leftJoin('cable', 'cable.id', 'mention.cable_id')
        .select('cable.ref')
        .orderBy('mention.id')
        .execute();
      return rows.map((row) => row.ref);
    };
    const before = await mentions();
    const refs = [...new Set(before)].sort();
    expect(refs).toHaveLength(2);
    await handle.db.deleteFrom('cable').where('ref', '=', refs[0]!).execute();
    // None is left pointing at the deleted cable (its ref would be null), and the other's stay.
    expect(await mentions()).toEqual(before.filter((ref) => ref !== refs[0]));
  });
});

// A batch with many organization forms looks its forms up in the stored records differently from
// one with few (see sharesFormKey in write-graph.ts): both must find the same organizations.
describe.each(databaseKinds)('organizations found by form on %s', (kind) => {
  const fillers = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      localIndex: i + 2,
      name: `Filler Directorate ${i}`,
      aliases: [],
      kind: 'agency',
      countryCode: 'CA',
    }));
  const batch = (ref: string, fillerCount: number) =>
    cable(ref, '2003-06-01', {
      persons: [],
      organizations: [
        // A new form of a stored organization: resolved again with the records that share its forms.
        { localIndex: 0, name: 'PCO', aliases: ['Privy Council'], kind: 'agency', countryCode: 'CA' },
        // Exactly a stored organization's forms: joins it as it is inserted.
        { localIndex: 1, name: 'Privy Council Office', aliases: ['PCO'], kind: 'agency', countryCode: 'CA' },
        ...fillers(fillerCount),
      ],
      mentions: [],
      dates: [],
      topics: [],
      countryNames: canada,
    });

  async function resolve(fillerCount: number) {
    const handle = await openTestDatabase(kind);
    try {
      await writeCables(handle.db, [chretienCable()]);
      await writeCables(handle.db, [batch('03OTTAWA900', fillerCount)]);
      const pco = await handle.db
        .selectFrom('organization')
        .select(['name', 'aliases', 'cable_count'])
        .where('name', 'not like', 'Filler%')
        .execute();
      const organizations = await handle.db.selectFrom('organization').select('id').execute();
      return { pco, organizations: organizations.length };
    } finally {
      await handle.close();
    }
  }

  it('merges a new form with the stored organization whether the batch has few forms or many', async () => {
    const few = await resolve(3);
    const many = await resolve(100);
    expect(few.pco).toEqual([{ name: 'Privy Council Office', aliases: ['PCO', 'Privy Council'], cable_count: 2 }]);
    expect(many.pco).toEqual(few.pco);
    expect([few.organizations, many.organizations]).toEqual([1 + 3, 1 + 100]);
  });

  // An organization's kind is the first of its records' kinds in alphabetical order. A record of a
  // kind that sorts after it changes nothing and joins as it is inserted; one that sorts before it
  // makes the organization that kind, which only a resolution of the whole group can do.
  async function joinWithKind(recordKind: string) {
    const handle = await openTestDatabase(kind);
    try {
      await writeCables(handle.db, [chretienCable()]);
      const statements: string[] = [];
      const watched = handle.db.withPlugin({
        transformQuery: (args) => {
          if (args.node.kind === 'RawNode') statements.push(args.node.sqlFragments.join('?'));
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const organizations = [{ localIndex: 0, name: 'Privy Council Office', aliases: ['PCO'], kind: recordKind, countryCode: 'CA' }];
      await writeCables(watched, [
        cable('03OTTAWA901', '2003-06-01', { persons: [], organizations, mentions: [], dates: [], topics: [], countryNames: canada }),
      ]);
      const stored = await handle.db.selectFrom('organization').select(['name', 'kind', 'cable_count']).execute();
      return { stored, regrouped: statements.some((text) => text.includes('string_agg(co.id')) };
    } finally {
      await handle.close();
    }
  }

  it('joins a record whose kind sorts after the organization’s as it is inserted, and regroups one whose kind sorts before', async () => {
    const later = await joinWithKind('ministry');
    expect(later).toEqual({ stored: [{ name: 'Privy Council Office', kind: 'agency', cable_count: 2 }], regrouped: false });
    const earlier = await joinWithKind('advisory body');
    expect(earlier).toEqual({ stored: [{ name: 'Privy Council Office', kind: 'advisory body', cable_count: 2 }], regrouped: true });
  });
});

describe.each(databaseKinds)('analyst judgments on %s', (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const personNamed = async (name: string) =>
    (await handle.db.selectFrom('person').select(['id', 'name']).where('name', '=', name).executeTakeFirstOrThrow()).id;
  const clusters = async () => {
    const rows = await handle.db
      .selectFrom('cable_person')
      .innerJoin('cable', 'cable.id', 'cable_person.cable_id')
      .select(['cable_person.person_id', 'cable.ref', 'cable_person.name'])
      .execute();
    const byPerson = new Map<number | null, string[]>();
    for (const row of rows) byPerson.set(row.person_id, [...(byPerson.get(row.person_id) ?? []), `${row.ref}:${row.name}`].sort());
    return [...byPerson.values()].map((members) => members.join(' + ')).sort();
  };

  it('keeps a merge and a split through a re-ingest that rewrites every cable', async () => {
    await writeCables(handle.db, [chretienCable(), laterCable()]);
    const { mergePersons, splitPerson } = await import('../../src/db/judgments.ts');
    await mergePersons(handle.db, [await personNamed('Jean Chretien'), await personNamed('Claude Laverdure')], {
      author: 'test',
      reason: 'deliberately wrong, to see it stick',
    });
    expect(await clusters()).toEqual(['03OTTAWA1284:Chretien + 03OTTAWA692:Claude Laverdure + 03OTTAWA692:Jean Chretien']);
    const mention = await handle.db
      .selectFrom('mention')
      .innerJoin('cable', 'cable.id', 'mention.cable_id')
      .select(['mention.id', 'mention.entity_id'])
      .where('cable.ref', '=', '03OTTAWA1284')
      .where('mention.kind', '=', 1)
      .executeTakeFirstOrThrow();
    await splitPerson(handle.db, mention.entity_id!, [String(mention.id)], { author: 'test', reason: 'another Chretien' });
    const judged = ['03OTTAWA1284:Chretien', '03OTTAWA692:Claude Laverdure + 03OTTAWA692:Jean Chretien'];
    expect(await clusters()).toEqual(judged);
    // Every cable comes again with new content: all rows are rewritten and resolved again.
    const rewritten = [chretienCable('hash-2'), laterCable()];
    rewritten[1]!.contentHash = 'hash-3';
    await writeCables(handle.db, rewritten);
    expect(await clusters()).toEqual(judged);
    expect(await storedEdges(handle.db)).toEqual(await edgesFromScratch(handle.db));
    const audit = await handle.db.selectFrom('judgment').select(['kind', 'author', 'reason']).orderBy('id').execute();
    expect(audit.map((j) => j.kind)).toEqual(['merge', 'split']);
  });
});

// Settling adds a cable's evidence in two halves, each its own transaction (settleGraph). A run
// killed between them leaves a cable with one half in the edge table: the next settling, or any
// change to the cable's mentions before it, must add exactly the other half.
describe.each(databaseKinds)('a settling stopped between the halves of the evidence, on %s', (kind) => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await handle?.close();
  });

  async function stopAfterFirstHalf() {
    await handle.db.deleteFrom('cable').execute();
    await handle.db.deleteFrom('edge').execute();
    await writeCables(handle.db, [chretienCable(), laterCable()], { deferResolution: true });
    await handle.db.transaction().execute(async (trx) => {
      while ((await clusterPendingSurnames(trx, 100)) > 0);
      expect(await releasePendingCables(trx, 100)).toBe(2);
      expect(await addReleasedEvidence(trx, 0, 100)).toBe(2);
    });
    const pending = await handle.db.selectFrom('graph_pending_cable').select(['released', 'halves']).execute();
    expect(pending).toEqual([
      { released: true, halves: 1 },
      { released: true, halves: 1 },
    ]);
    const stored = await storedEdges(handle.db);
    const whole = await edgesFromScratch(handle.db);
    // Both halves have pairs here, so that the test can tell a half from the whole.
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThan(whole.length);
    expect(stored.every((edge) => edge.source_id % 2 === 0)).toBe(true);
  }

  it('leaves the counts while a waiting cable still holds mentions back', async () => {
    await handle.db.deleteFrom('cable').execute();
    await writeCables(handle.db, [chretienCable(), laterCable()], { deferResolution: true });
    const stale = () => handle.db.selectFrom('graph_stale_count').select(['kind', 'entity_id']).execute();
    const before = await stale();
    expect(before.length).toBeGreaterThan(0);
    await handle.db.transaction().execute(async (trx) => {
      while ((await clusterPendingSurnames(trx, 100)) > 0);
      expect(await refreshReleasedCounts(trx, 100)).toBe(0);
      expect(await releasePendingCables(trx, 1)).toBe(1);
      expect(await refreshReleasedCounts(trx, 100)).toBe(0);
      expect(await releasePendingCables(trx, 1)).toBe(1);
      expect(await refreshReleasedCounts(trx, 100)).toBeGreaterThanOrEqual(before.length);
    });
    expect(await stale()).toEqual([]);
    await settleGraph(handle.db);
    expect(await storedEdges(handle.db)).toEqual(await edgesFromScratch(handle.db));
  });

  it.runIf(kind === 'postgres')('adds a half once when two processes settle at the same time', async () => {
    const { openDatabase } = await import('../../src/db/connect.ts');
    const other = await openDatabase({ url: (handle as TestDatabase).url! });
    try {
      await handle.db.deleteFrom('cable').execute();
      await handle.db.deleteFrom('edge').execute();
      await writeCables(handle.db, [chretienCable(), laterCable()], { deferResolution: true });
      await handle.db.transaction().execute(async (trx) => {
        while ((await clusterPendingSurnames(trx, 100)) > 0);
        await releasePendingCables(trx, 100);
      });
      let second: Promise<number> | undefined;
      await handle.db.transaction().execute(async (trx) => {
        await lockGraphWritesShared(trx);
        expect(await addReleasedEvidence(trx, 0, 100)).toBe(2);
        // The other process's settler of the same half starts before this one commits.
        second = other.db.transaction().execute(async (otherTrx) => {
          await lockGraphWritesShared(otherTrx);
          return addReleasedEvidence(otherTrx, 0, 100);
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      expect(await second).toBe(0);
      await settleGraph(handle.db);
      expect(await storedEdges(handle.db)).toEqual(await edgesFromScratch(handle.db));
    } finally {
      await other.close();
    }
  });

  it('adds the other half when settling again', async () => {
    await stopAfterFirstHalf();
    await settleGraph(handle.db);
    expect(await handle.db.selectFrom('graph_pending_cable').select('cable_id').execute()).toEqual([]);
    expect(await storedEdges(handle.db)).toEqual(await edgesFromScratch(handle.db));
  });

  it('adds the other half before a rewrite of the cable takes its evidence out', async () => {
    await stopAfterFirstHalf();
    const rewritten = chretienCable('hash-rewritten');
    // Named once: the cable no longer gives any pair, so a half of its old evidence left behind shows.
    rewritten.graph!.mentions = rewritten.graph!.mentions.slice(0, 1);
    await writeCables(handle.db, [rewritten]);
    await settleGraph(handle.db);
    expect(await handle.db.selectFrom('graph_pending_cable').select('cable_id').execute()).toEqual([]);
    expect(await storedEdges(handle.db)).toEqual(await edgesFromScratch(handle.db));
    const persons = await handle.db.selectFrom('person').select(['name', 'cable_count']).orderBy('name').execute();
    expect(persons).toEqual([
      { name: 'Claude Laverdure', cable_count: 1 },
      { name: 'Jean Chretien', cable_count: 2 },
    ]);
  });
});
