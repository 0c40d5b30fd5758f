// Portion-level visibility through the API: a key sees what its clearance allows, paragraph by
// paragraph, and nothing derived from the rest (names, mentions, edges, counts, search, timeline).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApiKey } from '../../src/db/api-keys.ts';
import type { DatabaseHandle } from '../../src/db/connect.ts';
import { refreshReaderCaches } from '../../src/db/visibility.ts';
import type { Clearance } from '../../src/extract/markings.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { createServer } from '../../src/server.ts';
import { databaseKinds, openTestDatabase } from '../helpers/databases.ts';

// Our own fixture cables. In 09OSLO101 the NOFORN paragraph 2 is the only place that names
// Gerald Emerald and speaks of plotting; the unmarked paragraph 4 takes the cable's SECRET//NOFORN.
const CABLES: Record<string, string> = {
  '09OSLO101.txt': `S E C R E T OSLO 000101

NOFORN
SIPDIS

E.O. 12958: DECL: 05/06/2019
TAGS: PREL, PGOV
SUBJECT: (C) ZEMBLAN CABINET RESHUFFLE LOOMS

REF: OSLO 99

Classified By: Ambassador John Shade, Reasons 1.4 (b) and (d)

1. (U) Foreign Minister Charles Kinbote met the Ambassador on May 5 to discuss the harvest festival.

2. (S/NF) Kinbote said Interior Minister Jakob Gradus is plotting against the King. Gradus meets Gerald Emerald weekly.

3. (C) Kinbote also praised Finance Minister Odon Vanderbilt.

4. Embassy believes the palace guard is restless.

SHADE
`,
  '09OSLO102.txt': `UNCLASSIFIED OSLO 000102

SIPDIS

E.O. 12958: DECL: 05/09/2019
TAGS: ECON
SUBJECT: ZEMBLA OPENS A BRIDGE

1. (U) Interior Minister Jakob Gradus opened the new bridge at Onhava on May 9.

SHADE
`,
};

const CABLE_QUERY = `query {
  cable(ref: "09OSLO101") {
    partial subject tags classifiedBy { name } references(first: 10) { totalCount }
    paragraphs(first: 10) { totalCount edges { node { number classification text persons(first: 10) { edges { node { name } } } } } }
    persons(first: 10) { totalCount edges { node { name } } }
    body
  }
}`;

const EVERYTHING_QUERY = `query {
  cables(first: 10) { totalCount edges { node { ref partial subject body persons(first: 10) { edges { node { name aliases } } } } } }
  persons(first: 50) { totalCount edges { node { id name aliases cableCount: cables(first: 10) { totalCount }
    coMentioned(first: 10) { person { name } cables paragraphs } } } }
  hiddenName: search(query: "Emerald") { totalCount }
  hiddenWords: search(query: "plotting king") { totalCount }
  timeline(interval: MONTH) { count }
}`;

describe.each(databaseKinds)('visibility by clearance (%s)', (kind) => {
  let handle: DatabaseHandle;
  let yoga: ReturnType<typeof createServer>;
  const keys = new Map<string, string>();

  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    const dir = mkdtempSync(join(tmpdir(), 'cablegraph-visibility-'));
    for (const [name, text] of Object.entries(CABLES)) writeFileSync(join(dir, name), text);
    const summary = await ingestPaths(handle.db, [dir]);
    expect(summary.failed).toEqual([]);
    const levels: [string, Clearance, boolean][] = [
      ['unclassified', 'UNCLASSIFIED', false],
      ['confidential', 'CONFIDENTIAL', false],
      ['secret', 'SECRET', false],
      ['secret-noforn', 'SECRET', true],
    ];
    for (const [name, clearance, noforn] of levels) keys.set(name, (await createApiKey(handle.db, { name, clearance, noforn })).key);
    yoga = createServer({ db: handle.db, apiKeys: { cacheMs: 0 } });
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
  });

  async function ask(key: string, query: string) {
    const response = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.get(key)}` },
      body: JSON.stringify({ query }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  it('shows a SECRET//NOFORN key the whole cable', async () => {
    const { cable } = await ask('secret-noforn', CABLE_QUERY);
    expect(cable.partial).toBe(false);
    expect(cable.subject).toBe('ZEMBLAN CABINET RESHUFFLE LOOMS');
    expect(cable.tags).toEqual(['PREL', 'PGOV']);
    expect(cable.paragraphs.edges.map((e: any) => e.node.number)).toEqual([0, 1, 2, 3, 4]);
    expect(cable.body).toContain('Gerald Emerald');
    const names = cable.persons.edges.map((e: any) => e.node.name);
    expect(names).toEqual(expect.arrayContaining(['Charles Kinbote', 'Jakob Gradus', 'Gerald Emerald', 'Odon Vanderbilt']));
  });

  it('shows an UNCLASSIFIED key only the (U) paragraph of the cable, and nothing from the rest', async () => {
    const { cable } = await ask('unclassified', CABLE_QUERY);
    expect(cable.partial).toBe(true);
    expect(cable.subject).toBeNull();
    expect(cable.tags).toEqual([]);
    expect(cable.references.totalCount).toBe(0);
    expect(cable.classifiedBy).toBeNull();
    expect(cable.paragraphs.totalCount).toBe(1);
    expect(cable.paragraphs.edges[0].node.classification).toBe('U');
    expect(cable.persons.edges.map((e: any) => e.node.name)).toEqual(['Charles Kinbote']);
    expect(cable.body).not.toMatch(/Gradus|Emerald|Vanderbilt|palace/);
  });

  it('shows a CONFIDENTIAL key the (U) and (C) portions, subject included', async () => {
    for (const key of ['confidential', 'secret']) {
      const { cable } = await ask(key, CABLE_QUERY);
      expect(cable.partial).toBe(true);
      expect(cable.subject).toBe('ZEMBLAN CABINET RESHUFFLE LOOMS');
      expect(cable.paragraphs.edges.map((e: any) => e.node.number)).toEqual([1, 3]);
      const names = cable.persons.edges.map((e: any) => e.node.name).sort();
      expect(names).toEqual(['Charles Kinbote', 'Odon Vanderbilt']);
    }
  });

  it('derives entities, edges, counts, search and timeline from visible portions only', async () => {
    for (const key of ['unclassified', 'confidential', 'secret']) {
      const data = await ask(key, EVERYTHING_QUERY);
      expect(JSON.stringify(data).match(/Emerald|plotting|palace/)?.[0], key).toBeUndefined();
      expect(data.hiddenName.totalCount).toBe(0);
      expect(data.hiddenWords.totalCount).toBe(0);
      const persons = new Map<string, any>(data.persons.edges.map((e: any) => [e.node.name, e.node]));
      // Gradus is named in the UNCLASSIFIED cable only, as far as these keys can tell.
      expect(persons.get('Jakob Gradus')?.cableCount.totalCount).toBe(1);
      // Kinbote and Gradus share only the NOFORN paragraph: no tie between them for these keys.
      const kinbote = persons.get('Charles Kinbote');
      expect(kinbote.coMentioned.map((c: any) => c.person.name)).not.toContain('Jakob Gradus');
      expect(data.timeline.reduce((sum: number, bucket: any) => sum + bucket.count, 0)).toBe(data.cables.totalCount);
    }
    const open = await ask('secret-noforn', EVERYTHING_QUERY);
    expect(open.hiddenName.totalCount).toBe(1);
    const kinbote = open.persons.edges.find((e: any) => e.node.name === 'Charles Kinbote').node;
    expect(kinbote.coMentioned.map((c: any) => c.person.name)).toContain('Jakob Gradus');
  });

  it('counts the ties a CONFIDENTIAL key may see from the paragraphs it may see', async () => {
    const data = await ask('confidential', EVERYTHING_QUERY);
    const kinbote = data.persons.edges.find((e: any) => e.node.name === 'Charles Kinbote').node;
    const vanderbilt = kinbote.coMentioned.find((c: any) => c.person.name === 'Odon Vanderbilt');
    expect(vanderbilt).toMatchObject({ cables: 1, paragraphs: 1 });
  });

  // Last: it changes the stored graph. A person record named nowhere in its cable's text (a
  // signature the text does not repeat, say) goes with the whole cable; when that cable is hidden,
  // the person's stored counts and dates, which include it, must not be shown either.
  it('keeps a hidden cable out of the counts and dates of a person it names only outside the text', async () => {
    const gradus = await sql<{ id: number }>`
      select cp.id from cable_person cp join cable c on c.id = cp.cable_id where c.ref = '09OSLO101' and cp.name = 'Jakob Gradus'`.execute(
      handle.db,
    );
    await sql`delete from mention where kind = 1 and local_id = ${gradus.rows[0]!.id}`.execute(handle.db);
    await refreshReaderCaches(handle.db);
    const query = `query { persons(filter: { name: "Gradus" }) { edges { node { name cableCount mentionCount firstDate lastDate } } } }`;
    // What is stored counts the cable of the record named nowhere: not for a restricted reader.
    const stored = await sql<{ cable_count: number; first_date: unknown }>`
      select cable_count, first_date from person where name = 'Jakob Gradus'`.execute(handle.db);
    expect(stored.rows[0]!.cable_count).toBe(2);
    // Every restricted reader, even one that may see the cable, is shown what the mentions say.
    for (const key of ['unclassified', 'confidential', 'secret', 'secret-noforn']) {
      const seen = (await ask(key, query)).persons.edges[0].node;
      expect(seen, key).toEqual({ name: 'Jakob Gradus', cableCount: 1, mentionCount: 1, firstDate: '2009-05-09', lastDate: '2009-05-09' });
    }
  });
});
