// Extraction spread over cores: a pool of worker threads (piscina) runs extract-task on cables
// while the ingest thread writes earlier batches to the database. With no threads the task runs
// inline, in the caller's thread (tests, small inputs).
import { Piscina } from 'piscina';

import buildCable, { message, type BuiltCable } from './extract-task.ts';
import type { RawCable } from './types.ts';

export interface Extractor {
  /** Never rejects: a failure of the cable or of its worker comes back as `{ ok: false }`. */
  build(raw: RawCable): Promise<BuiltCable>;
  /** Worker threads (0: extraction runs inline). */
  readonly threads: number;
  close(): Promise<void>;
}

export function createExtractor(threads: number): Extractor {
  if (threads <= 0) {
    return { threads: 0, build: async (raw) => buildCable(raw), close: async () => {} };
  }
  const pool = new Piscina<RawCable, BuiltCable>({
    filename: new URL('../../bin/extract-worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // No queue limit of its own: the pipeline bounds the cables in flight (its back-pressure).
  });
  return {
    threads,
    build: (raw) =>
      pool
        .run(raw)
        .catch((error: unknown): BuiltCable => ({ ok: false, source: raw.source, reason: `extraction worker failed: ${message(error)}` })),
    close: () => pool.close(),
  };
}
