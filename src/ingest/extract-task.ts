// One cable's extraction as a task: the same function runs in the ingest thread or in a worker
// thread of the extraction pool (src/ingest/extract-pool.ts). It never throws: a cable that
// cannot be read comes back as a reason, which the pipeline records against the cable's source.
import type { CableRecord } from '../db/write-cables.ts';
import { buildCableRecord } from './cable-record.ts';
import type { RawCable } from './types.ts';

export type BuiltCable = { ok: true; record: CableRecord } | { ok: false; source: string; reason: string };

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export default function buildCable(raw: RawCable): BuiltCable {
  try {
    return { ok: true, record: buildCableRecord(raw) };
  } catch (error) {
    return { ok: false, source: raw.source, reason: message(error) };
  }
}
