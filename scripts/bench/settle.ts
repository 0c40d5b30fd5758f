// What settling the end of an ingest costs, on three connections (settleGraph) against step by step
// on one (`parallel: false`, as before 888d89c):
//   npx tsx scripts/bench/settle.ts [--rounds N] [--server URL] [PATH…]
// Ingests PATH (default: the shared 1,295-cable corpus) once into scratch_settle_template with the
// benchmark-only `settle: false`, which leaves the run's surname blocks, held mentions, evidence and
// counts unsettled, as a run killed after its last batch would. Then, round after round (the order
// alternating), a copy of it (`createdb -T`, ANALYZEd) is settled each way and timed; the edge
// table and the counts of both ways must be identical (an md5 of each, printed). Both scratch
// databases are dropped at the end. The machine is shared: the load average is printed beside
// each run.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

import { sql } from 'kysely';

import { openDatabase } from '../../src/db/connect.ts';
import { settleGraph } from '../../src/db/write-cables.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';
import { countOption, DEFAULT_CORPUS, median, scratchServer } from './scratch.ts';

const TEMPLATE = 'scratch_settle_template';
const COPY = 'scratch_settle_run';

const { values, positionals } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    server: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
  },
  allowPositionals: true,
});
const rounds = countOption('rounds', values.rounds);
const paths = positionals.length ? positionals : [DEFAULT_CORPUS];
const server = scratchServer(values.server);
const load = () => loadavg()[0]!.toFixed(2);

type Mode = 'parallel' | 'serial';

async function settleCopy(mode: Mode): Promise<{ ms: number; digest: string }> {
  server.recreate(COPY, TEMPLATE);
  const handle = await openDatabase({ url: server.urlOf(COPY) });
  try {
    await sql`analyze`.execute(handle.db);
    const ms = await settleGraph(handle.db, { parallel: mode === 'parallel' });
    const digest = await sql<{ edges: string; persons: string; organizations: string }>`
      select (select md5(string_agg(concat_ws(',', kind, source_id, target_id, paragraphs, cables), ';' order by kind, source_id, target_id)) from edge) as edges,
             (select md5(string_agg(concat_ws(',', id, cable_count, mention_count, first_date, last_date), ';' order by id)) from person) as persons,
             (select md5(string_agg(concat_ws(',', id, cable_count, mention_count), ';' order by id)) from organization) as organizations
    `.execute(handle.db);
    const row = digest.rows[0]!;
    return { ms, digest: `edges ${row.edges}, persons ${row.persons}, organizations ${row.organizations}` };
  } finally {
    await handle.close();
  }
}

console.log(`settling ${paths.join(' ')}, ${rounds} round(s); uptime: ${execFileSync('uptime').toString().trim()}`);
const times: Record<Mode, number[]> = { parallel: [], serial: [] };
let exitCode = 0;
try {
  server.recreate(TEMPLATE);
  const template = await openDatabase({ url: server.urlOf(TEMPLATE) });
  try {
    const summary = await ingestPaths(template.db, paths, { settle: false });
    const waiting = await sql<{ cables: number; surnames: number }>`
      select (select count(*)::int from graph_pending_cable) as cables, (select count(*)::int from graph_pending_surname) as surnames
    `.execute(template.db);
    console.log(
      `ingested ${summary.inserted} cables unsettled in ${summary.seconds.toFixed(2)} s: ` +
        `${waiting.rows[0]!.cables} cables and ${waiting.rows[0]!.surnames} surname blocks waiting`,
    );
  } finally {
    await template.close();
  }
  let reference: string | null = null;
  for (let round = 0; round < rounds; round++) {
    for (const mode of (round % 2 ? ['serial', 'parallel'] : ['parallel', 'serial']) as Mode[]) {
      const before = load();
      const { ms, digest } = await settleCopy(mode);
      times[mode].push(ms);
      reference ??= digest;
      const same = digest === reference;
      if (!same) exitCode = 1;
      console.log(
        `${mode.padEnd(8)} ${(ms / 1000).toFixed(2)} s  load ${before} -> ${load()}  ${same ? 'same graph' : `DIFFERENT: ${digest}`}`,
      );
    }
  }
} finally {
  server.drop(COPY);
  server.drop(TEMPLATE);
}
const [p, s] = [median(times.parallel), median(times.serial)];
console.log(
  `median: three connections ${(p / 1000).toFixed(2)} s, step by step ${(s / 1000).toFixed(2)} s (${((100 * (s - p)) / s).toFixed(1)}% less)`,
);
process.exitCode = exitCode;
