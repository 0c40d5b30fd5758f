// `cablegraph export`: the entity graph, or a slice of it, as GraphML, GEXF, NDJSON or CSV for
// notebooks and Gephi. Streams from the database to the output; a file appears only when complete.
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

import cliProgress from 'cli-progress';

import type { Io } from '../cli.ts';
import type { Access } from '../extract/markings.ts';
import { openDatabase } from '../db/connect.ts';
import { refreshReaderCaches, seesEverything } from '../db/visibility.ts';
import { settleGraph } from '../db/write-cables.ts';
import { withExportReader, type ExportSelection } from '../db/read-export.ts';
import { isSearchable } from '../db/read-search.ts';
import { writeCsv } from './csv.ts';
import { writeGexf } from './gexf.ts';
import { EDGE_ATTRIBUTES, mapAsync, NODE_ATTRIBUTES, toGraphEdge, toGraphNode, type Graph } from './graph.ts';
import { writeGraphml } from './graphml.ts';
import { writeNdjson } from './ndjson.ts';

export type ExportFormat = 'graphml' | 'gexf' | 'ndjson' | 'csv';

export interface ExportCommandOptions {
  format: ExportFormat;
  /** A file (a prefix or a directory for CSV); stdout when absent. */
  out?: string | undefined;
  selection: ExportSelection;
  quiet: boolean;
  io: Io;
  /** Export what a reader with this access may see (src/db/visibility.ts); absent: everything. */
  access?: Access | null | undefined;
}

/** Where the two CSV tables go: inside a directory, or beside a prefix ("g" or "g.csv" -> g.nodes.csv, g.edges.csv). */
export async function csvPaths(out: string): Promise<{ nodes: string; edges: string }> {
  const isDirectory = await stat(out).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (isDirectory) return { nodes: join(out, 'nodes.csv'), edges: join(out, 'edges.csv') };
  const prefix = out.replace(/\.csv$/i, '');
  return { nodes: `${prefix}.nodes.csv`, edges: `${prefix}.edges.csv` };
}

/** A file written under a temporary name and renamed into place once complete. */
class PendingFile {
  private constructor(
    readonly path: string,
    readonly temporary: string,
    readonly stream: Writable,
  ) {}

  /** Opened before anything is read, so that a bad path fails at once. */
  static async open(path: string): Promise<PendingFile> {
    const temporary = `${path}.${process.pid}.part`;
    const file = await open(temporary, 'w');
    return new PendingFile(path, temporary, file.createWriteStream());
  }
  commit(): Promise<void> {
    return rename(this.temporary, this.path);
  }
  async discard(): Promise<void> {
    this.stream.destroy();
    await rm(this.temporary, { force: true });
  }
}

function describe(selection: ExportSelection): string {
  const { cables } = selection;
  const conditions = [
    cables.dateFrom && `from ${cables.dateFrom}`,
    cables.dateTo && `to ${cables.dateTo}`,
    cables.topics?.length && `tagged ${cables.topics.join(' and ')}`,
    cables.country && `about ${cables.country}`,
    cables.origin && `sent from ${cables.origin}`,
    cables.classification && `classified ${cables.classification}`,
    cables.text && `matching "${cables.text}"`,
  ].filter(Boolean);
  const slice = conditions.length ? `cables ${conditions.join(', ')}` : 'all cables';
  const weight = selection.minWeight != null ? `; edges of ${selection.weight} weight >= ${selection.minWeight}` : '';
  return `Cablegraph co-mention graph of ${slice}${weight}; edge weight = shared ${selection.weight}`;
}

/** Writes the graph in the chosen format to its outputs: CSV to two files, the others to one file or stdout. */
async function writeGraph(format: ExportFormat, graph: Graph, files: PendingFile[], stdout: NodeJS.WritableStream): Promise<void> {
  if (format === 'csv') return writeCsv(graph, { nodes: files[0]!.stream, edges: files[1]!.stream });
  const out = files[0]?.stream ?? stdout;
  const end = { end: files.length > 0 };
  if (format === 'graphml') return writeGraphml(graph, out, end);
  if (format === 'gexf') return writeGexf(graph, out, end);
  return writeNdjson(graph, out, end);
}

function progressBar(io: Io, total: number): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar(
    { stream: io.stderr as NodeJS.WriteStream, format: '{bar} {percentage}% | {value}/{total} nodes and edges | ETA {eta_formatted}' },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(total, 1), 0);
  return bar;
}

export async function runExport(options: ExportCommandOptions): Promise<number> {
  const { io, selection } = options;
  const started = performance.now();
  const counted = { nodes: 0, edges: 0 };
  const progress: { bar?: cliProgress.SingleBar } = {};
  const files: PendingFile[] = [];
  const handle = await openDatabase();
  const access = options.access ?? null;
  try {
    // What an ingest killed before its end left (edges, counts) is settled first, as `serve` does.
    await settleGraph(handle.db);
    if (!seesEverything(access)) await refreshReaderCaches(handle.db, [access!]);
    const db = handle.reader(access);
    const text = selection.cables.text?.trim();
    if (text && !(await isSearchable(db, text))) {
      io.stderr.write(`export: --text "${text}" has no searchable word (stop words only)\n`);
      return 2;
    }
    // Opened before anything is read, so that a bad path fails at once.
    if (options.format === 'csv') {
      if (!options.out) throw new Error('csv needs --out');
      const paths = await csvPaths(options.out);
      files.push(await PendingFile.open(paths.nodes));
      files.push(await PendingFile.open(paths.edges));
    } else if (options.out) {
      files.push(await PendingFile.open(options.out));
    }
    await withExportReader(db, selection, async (reader) => {
      // A bar on a terminal, unless the terminal is where the graph goes.
      if (!options.quiet && files.length && (io.stderr as NodeJS.WriteStream).isTTY) {
        const totals = await reader.count();
        progress.bar = progressBar(io, totals.nodes + totals.edges);
      }
      const tick = () => {
        const done = counted.nodes + counted.edges;
        if (done % 1000 === 0) progress.bar?.update(done);
      };
      const graph: Graph = {
        description: describe(selection),
        nodeAttributes: NODE_ATTRIBUTES,
        edgeAttributes: EDGE_ATTRIBUTES,
        nodes: mapAsync(reader.nodes(), (row) => (counted.nodes++, tick(), toGraphNode(row))),
        edges: mapAsync(reader.edges(), (row) => (counted.edges++, tick(), toGraphEdge(row, selection.weight))),
      };
      await writeGraph(options.format, graph, files, io.stdout);
    });
    for (const file of files) await file.commit();
    progress.bar?.update(counted.nodes + counted.edges);
    progress.bar?.stop();
    const seconds = (performance.now() - started) / 1000;
    const where = files.length ? files.map((file) => file.path).join(' and ') : 'stdout';
    io.stderr.write(
      `exported ${counted.nodes} nodes and ${counted.edges} edges as ${options.format} to ${where} in ${seconds.toFixed(1)} s\n`,
    );
    return 0;
  } catch (error) {
    progress.bar?.stop();
    for (const file of files) await file.discard();
    // The reader of stdout stopped early (`| head`): it has what it wanted.
    if (!options.out && (error as NodeJS.ErrnoException)?.code === 'EPIPE') return 0;
    throw error;
  } finally {
    await handle.close();
  }
}
