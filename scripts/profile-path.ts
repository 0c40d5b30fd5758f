// Times `path` at the database level, statement by statement: for the pairs the API benchmark
// uses (the most-cited persons, and persons named in 2 to 4 cables), runs shortestPaths as the
// API does and prints each pair's time, chain length and the time of each SQL statement it ran.
//
//   DATABASE_URL=… [EXPLAIN=text] npx tsx scripts/profile-path.ts [--max-hops 4] [--runs 2]
//
// EXPLAIN prints the plan (explain analyze) of every statement whose SQL contains that text.
import { parseArgs } from 'node:util';

import { sql, type CompiledQuery, type QueryResult } from 'kysely';

import { openDatabase, optionsFromEnv } from '../src/db/connect.ts';
import { shortestPaths } from '../src/db/read-paths.ts';
import { MENTION_KIND } from '../src/db/write-graph.ts';

const { values } = parseArgs({ options: { 'max-hops': { type: 'string', default: '4' }, runs: { type: 'string', default: '2' } } });

const handle = await openDatabase(optionsFromEnv());
const timings: { sql: string; ms: number }[] = [];
// Statement times from the driver's side: wrap executeQuery.
const executor = handle.db.getExecutor();
type Execute = (compiled: CompiledQuery, ...rest: unknown[]) => Promise<QueryResult<unknown>>;
const original = (executor.executeQuery as unknown as Execute).bind(executor);
(executor as unknown as { executeQuery: Execute }).executeQuery = async (compiled, ...rest) => {
  if (process.env.EXPLAIN && compiled.sql.includes(process.env.EXPLAIN)) {
    const plan = await original({ ...compiled, sql: `explain (analyze, buffers) ${compiled.sql}` } as CompiledQuery, ...rest);
    console.log(plan.rows.map((row) => Object.values(row as object)[0]).join('\n'));
  }
  const started = performance.now();
  try {
    return await original(compiled, ...rest);
  } finally {
    timings.push({ sql: compiled.sql.replace(/\s+/g, ' ').slice(0, 70), ms: performance.now() - started });
  }
};

const top = await sql<{ id: number }>`select id from person order by cable_count desc, id limit 5`.execute(handle.db);
const sparse = await sql<{ id: number }>`select id from person where cable_count between 2 and 4 order by md5(id::text) limit 5`.execute(
  handle.db,
);
const persons = top.rows.map((r) => r.id);
const few = sparse.rows.map((r) => r.id);
const pairs: [number, number][] = [[persons[0]!, persons[persons.length - 1]!]];
few.forEach((id, i) => {
  pairs.push([persons[i % persons.length]!, id]);
  const other = few[(i + 1) % few.length]!;
  if (other !== id) pairs.push([id, other]);
});

for (let run = 0; run < Number(values.runs); run++) {
  console.log(`run ${run + 1}`);
  for (const [a, b] of pairs) {
    timings.length = 0;
    const started = performance.now();
    const paths = await shortestPaths(
      handle.db,
      { kind: MENTION_KIND.person, id: a },
      { kind: MENTION_KIND.person, id: b },
      {
        maxHops: Number(values['max-hops']),
        via: [MENTION_KIND.person],
      },
    );
    const ms = performance.now() - started;
    console.log(
      `${a} → ${b}: ${ms.toFixed(0)} ms, ${paths.length} chains of ${paths[0] ? paths[0].steps.length : '-'} steps; ` +
        timings.map((t) => `${t.ms.toFixed(0)}`).join(' + '),
    );
    if (run === 0) for (const t of timings) console.log(`    ${t.ms.toFixed(1).padStart(8)} ms  ${t.sql}`);
  }
}
await handle.close();
