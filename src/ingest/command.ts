// `cablegraph ingest PATH…`: progress on a TTY, a summary at the end, exit 1 when inputs failed.
import cliProgress from 'cli-progress';

import type { Io } from '../cli.ts';
import { openDatabase } from '../db/connect.ts';
import { limitHeapGrowth } from './heap.ts';
import { ingestPaths, type IngestSummary } from './pipeline.ts';
import type { ReadProgress } from './types.ts';

const MB = 1024 * 1024;

export interface IngestCommandOptions {
  batchSize: number;
  /** Extraction worker threads (0: inline). */
  threads: number;
  quiet: boolean;
  io: Io;
}

export function formatSummary(summary: IngestSummary, progress: ReadProgress): string {
  const cables = summary.inserted + summary.updated + summary.unchanged;
  const inputMb = progress.bytesRead / MB;
  const lines = [
    `ingested ${cables} cables in ${summary.seconds.toFixed(1)} s: ${summary.inserted} new, ${summary.updated} updated, ` +
      `${summary.unchanged} unchanged, ${summary.failed.length} failed`,
    `read ${inputMb.toFixed(1)} MB of input (${(inputMb / Math.max(summary.seconds, 1e-3)).toFixed(2)} MB/s), ` +
      `${(summary.textBytes / MB).toFixed(1)} MB of cable text (${(summary.textBytes / MB / Math.max(summary.seconds, 1e-3)).toFixed(2)} MB/s)`,
    `entity resolution and edges: ${summary.resolutionSeconds.toFixed(1)} s of the ${summary.seconds.toFixed(1)} s`,
  ];
  return lines.join('\n') + '\n';
}

export async function runIngest(paths: string[], options: IngestCommandOptions): Promise<number> {
  const { io } = options;
  limitHeapGrowth();
  const handle = await openDatabase();
  const progress: ReadProgress = { totalBytes: 0, bytesRead: 0 };
  const tty = !options.quiet && Boolean((io.stderr as NodeJS.WriteStream).isTTY);
  const bar = tty
    ? new cliProgress.SingleBar(
        {
          stream: io.stderr as NodeJS.WriteStream,
          format: '{bar} {percentage}% | {cables} cables | {mb}/{totalMb} MB | {rate} MB/s | ETA {eta_formatted}',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const update = (summary: IngestSummary) => {
    if (!bar) return;
    const seconds = Math.max(summary.seconds, 1e-3);
    bar.setTotal(Math.max(progress.totalBytes, 1));
    bar.update(progress.bytesRead, {
      cables: summary.inserted + summary.updated + summary.unchanged,
      mb: (progress.bytesRead / MB).toFixed(1),
      totalMb: (progress.totalBytes / MB).toFixed(1),
      rate: (progress.bytesRead / MB / seconds).toFixed(2),
    });
  };
  bar?.start(1, 0, { cables: 0, mb: '0.0', totalMb: '?', rate: '0.00' });
  try {
    const summary = await ingestPaths(handle.db, paths, {
      batchSize: options.batchSize,
      threads: options.threads,
      progress,
      onBatch: update,
    });
    if (bar) {
      update(summary);
      bar.stop();
    }
    for (const failure of summary.failed) io.stderr.write(`failed: ${failure.source}: ${failure.reason}\n`);
    io.stdout.write(formatSummary(summary, progress));
    return summary.failed.length ? 1 : 0;
  } finally {
    bar?.stop();
    await handle.close();
  }
}
