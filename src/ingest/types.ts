// What the readers hand to the ingest pipeline: one item per cable found, or per input that failed.
import type { CableHints } from '../extract/types.ts';
import type { ReadLimits } from './limits.ts';

export type CableFormat = 'text' | 'html' | 'csv';

export interface RawCable {
  text: string;
  hints: CableHints;
  /** Where the cable came from: `dir/a.txt`, `archive.tar.gz:member/path`, `cables.csv.gz record 12 (line 345)`. */
  source: string;
  format: CableFormat;
}

export type ReadItem = { kind: 'cable'; cable: RawCable } | { kind: 'error'; source: string; reason: string };

/** Polled by the ingest command to show MB, rate and ETA. */
export interface ReadProgress {
  /** Sum of the on-disk sizes of the inputs, filled in before the first item is yielded. */
  totalBytes: number;
  /** On-disk (compressed) bytes consumed so far. */
  bytesRead: number;
}

export interface ReadOptions {
  /** Upper bound on one cable; the same as `limits.maxRecordBytes`. */
  maxRecordBytes?: number;
  /** Limits other than the defaults of src/ingest/limits.ts (tests use small ones). */
  limits?: Partial<ReadLimits>;
  progress?: ReadProgress;
}

export { DEFAULT_MAX_RECORD_BYTES } from './limits.ts';

/** A named stream of bytes: a file, a decompressed file, an archive member. */
export interface ByteSource {
  /** The location reported to the user. */
  location: string;
  /** The name used to recognise the format (a `.gz` suffix already removed once decompressed). */
  name: string;
  bytes: AsyncIterable<Buffer>;
}

/** Reads one byte source of any format; archives and gzip streams call it again for their content. */
export type ReadByteSource = (source: ByteSource) => AsyncGenerator<ReadItem>;
