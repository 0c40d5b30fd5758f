// The ingest pipeline writes a batch's text while the batch before it resolves its entities
// (src/ingest/pipeline.ts): small batches overlap, one big batch does not. Both must give the same
// database, when the database refuses a cable, and when a cable comes again in the next batch.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ingestItems } from '../../src/ingest/pipeline.ts';
import { readSources } from '../../src/ingest/read-sources.ts';
import type { RawCable, ReadItem } from '../../src/ingest/types.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { databaseKinds, openTestDatabase, SHARED } from '../helpers/databases.ts';
import { graphSnapshot } from '../helpers/graph.ts';

const CORPUS = `${SHARED}corpus/cablegate-1295.csv.gz`;
const CABLES = 48;

const cables: RawCable[] = [];

beforeAll(async () => {
  for await (const item of readSources([CORPUS])) {
    if (item.kind === 'cable') cables.push(item.cable);
    if (cables.length === CABLES) break;
  }
}, 120_000);

async function* items(list: RawCable[]): AsyncGenerator<ReadItem> {
  for (const cable of list) yield { kind: 'cable', cable };
}

describe.each(databaseKinds)('the ingest pipeline on %s', (kind) => {
  // Two ingests of the same cables into one database at once (PostgreSQL: PGlite has one connection).
  it.skipIf(kind !== 'postgres')(
    'gives the database one ingest gives when two ingest the same cables at once',
    async () => {
      const single = await ingest(cables, 5);
      const handle = await openTestDatabase(kind);
      const other = await openDatabase({ url: handle.url! });
      try {
        const runs = await Promise.all([
          ingestItems(handle.db, items(cables), { batchSize: 5 }),
          ingestItems(other.db, items(cables), { batchSize: 5 }),
        ]);
        for (const run of runs) {
          expect(run.failed).toEqual([]);
          expect(run.inserted + run.updated + run.unchanged).toBe(CABLES);
        }
        expect(runs[0]!.inserted + runs[1]!.inserted).toBe(CABLES);
        expect(await graphSnapshot(handle.db)).toEqual(single.graph);
        const paragraphs = await handle.db
          .selectFrom('paragraph')
          .select((e) => e.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(paragraphs.n)).toBe(single.paragraphs);
      } finally {
        await other.close();
        await handle.close();
      }
    },
    600_000,
  );

  async function ingest(list: RawCable[], batchSize: number, refuse?: string) {
    const handle = await openTestDatabase(kind);
    try {
      if (refuse) {
        // The database refuses one cable, as it would a value out of range.
        await sql
          .raw(
            `create function refuse_cable() returns trigger language plpgsql as $$
             begin if new.ref = '${refuse}' then raise exception 'refused for the test'; end if; return new; end $$`,
          )
          .execute(handle.db);
        await sql`create trigger refuse_cable before insert on cable for each row execute function refuse_cable()`.execute(handle.db);
      }
      const summary = await ingestItems(handle.db, items(list), { batchSize });
      const bodies = await handle.db.selectFrom('cable').select(['ref', 'subject']).orderBy('ref').execute();
      const paragraphs = await handle.db
        .selectFrom('paragraph')
        .select((e) => e.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return { summary, graph: await graphSnapshot(handle.db), bodies, paragraphs: Number(paragraphs.n) };
    } finally {
      await handle.close();
    }
  }

  it('gives the same database in batches of 5 as in one batch', async () => {
    const one = await ingest(cables, 1_000);
    const small = await ingest(cables, 5);
    expect(small.summary.inserted).toBe(CABLES);
    expect(small.graph).toEqual(one.graph);
    expect(small.bodies).toEqual(one.bodies);
  }, 600_000);

  it('writes every other cable of a batch the database refuses one of, and names the one', async () => {
    const refused = cables[12]!.hints.id!;
    const one = await ingest(cables, 1_000, refused);
    const small = await ingest(cables, 5, refused);
    for (const run of [one, small]) {
      expect(run.summary.inserted).toBe(CABLES - 1);
      expect(run.summary.failed).toEqual([
        { source: cables[12]!.source, reason: expect.stringContaining(`${refused}: database refused it`) },
      ]);
      expect(run.bodies.map((b) => b.ref)).not.toContain(refused);
    }
    expect(small.graph).toEqual(one.graph);
  }, 600_000);

  // The tables settling never writes are analyzed while it runs, the others once it has: each
  // table's row estimate must be what it holds at the end (exact, at this size).
  it("leaves the planner's statistics of every table as the ingest left the table", async () => {
    const handle = await openTestDatabase(kind);
    try {
      const summary = await ingestItems(handle.db, items(cables), { batchSize: 1_000 });
      expect(summary.inserted).toBe(CABLES);
      const tables = await sql<{ name: string; estimate: number }>`
        select relname as name, reltuples::int as estimate from pg_class
        where relnamespace = current_schema()::regnamespace and relkind = 'r' order by relname
      `.execute(handle.db);
      const counted: Record<string, number> = {};
      const estimated: Record<string, number> = {};
      for (const { name, estimate } of tables.rows) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(handle.db);
        counted[name] = rows[0]!.n;
        estimated[name] = estimate;
      }
      expect(counted.edge).toBeGreaterThan(0);
      expect(counted.paragraph).toBeGreaterThan(0);
      expect(estimated).toEqual(counted);
    } finally {
      await handle.close();
    }
  }, 600_000);

  it('keeps the later version of a cable that comes again in the next batch', async () => {
    const again = { ...cables[3]!, text: cables[3]!.text.replace(/SUBJECT:/, 'SUBJECT: AGAIN:') };
    expect(again.text).not.toBe(cables[3]!.text);
    // Batches of 5: the cable is in the first batch, its later version in the second.
    const list = [...cables.slice(0, 7), again, ...cables.slice(7)];
    const small = await ingest(list, 5);
    expect(small.summary.inserted + small.summary.updated).toBe(CABLES + 1);
    const subject = small.bodies.find((b) => b.ref === again.hints.id)!.subject;
    expect(subject).toMatch(/^AGAIN:/);
  }, 600_000);
});
