// Where ingest time goes, statement by statement: `npx tsx scripts/bench/profile-ingest.ts PATH…`
// against DATABASE_URL (or the PGlite directory), extracting on THREADS worker threads (default 0);
// RESOLUTION=off profiles the benchmark-only ingest without resolution (resolution-overhead.ts's (b)).
// Prints the SQL shapes that took the most time
// (wall time from sending to result, summed), and the total. Run it into an empty database.
import { performance } from 'node:perf_hooks';

import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

import { openDatabase, optionsFromEnv } from '../../src/db/connect.ts';
import { ingestPaths } from '../../src/ingest/pipeline.ts';

interface Shape {
  count: number;
  ms: number;
}

function label(node: RootOperationNode): string {
  const anyNode = node as unknown as Record<string, any>;
  if (node.kind === 'RawNode') {
    return String(anyNode.sqlFragments.join('?')).replace(/\s+/g, ' ').trim().slice(0, 110);
  }
  const table =
    anyNode.into?.table?.identifier?.name ??
    anyNode.table?.table?.identifier?.name ??
    anyNode.from?.froms?.map((f: any) => f.table?.identifier?.name ?? f.node?.table?.identifier?.name ?? '?').join(',') ??
    '';
  return `${node.kind} ${table}`;
}

class Timing implements KyselyPlugin {
  readonly shapes = new Map<string, Shape>();
  readonly #started = new WeakMap<object, { at: number; label: string }>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#started.set(args.queryId, { at: performance.now(), label: label(args.node) });
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const start = this.#started.get(args.queryId);
    if (start) {
      const shape = this.shapes.get(start.label) ?? { count: 0, ms: 0 };
      shape.count++;
      shape.ms += performance.now() - start.at;
      this.shapes.set(start.label, shape);
    }
    return args.result;
  }
}

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error('usage: profile-ingest PATH…');
  process.exit(2);
}
const handle = await openDatabase(optionsFromEnv());
const timing = new Timing();
const started = performance.now();
const summary = await ingestPaths(handle.db.withPlugin(timing), paths, {
  threads: Number(process.env.THREADS ?? 0),
  resolution: process.env.RESOLUTION !== 'off',
});
const total = performance.now() - started;
await handle.close();
const sqlMs = [...timing.shapes.values()].reduce((sum, s) => sum + s.ms, 0);
console.log(
  `ingest ${(total / 1000).toFixed(1)} s, ${summary.inserted} cables (resolution ${summary.resolutionSeconds.toFixed(1)} s); SQL wall ${(sqlMs / 1000).toFixed(1)} s`,
);
for (const [shape, { count, ms }] of [...timing.shapes].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(`${(ms / 1000).toFixed(2).padStart(7)} s ${String(count).padStart(6)}×  ${shape}`);
}
