// How far one input may go before the readers refuse it. Each limit sits well above what the real
// releases need and well below what would exhaust memory or time; an input past one is reported
// with the limit it broke, and the inputs after it are read as usual.

const MB = 1024 * 1024;

export interface ReadLimits {
  /**
   * Upper bound on one cable: a text or HTML file, or one cables.csv record. A larger one is
   * reported as an error instead of being held in memory.
   */
  maxRecordBytes: number;
  /** What one gzip stream may expand to. */
  maxDecompressedBytes: number;
  /** How many times its compressed size a gzip stream may expand to, once past `ratioCheckAfterBytes`. */
  maxCompressionRatio: number;
  ratioCheckAfterBytes: number;
  /** gzip streams and tar archives inside each other. */
  maxNestingDepth: number;
  /** Errors from one command-line file before the rest of it is skipped. */
  maxErrorsPerFile: number;
  /** Characters of a tar member's name. */
  maxMemberNameChars: number;
}

/**
 * The largest cables of the release are a few hundred KB; 4 MB leaves ten times that. Extraction
 * takes seconds a megabyte (a 19 MB cable took minutes), so a larger limit lets one input stall a run.
 */
export const DEFAULT_MAX_RECORD_BYTES = 4 * MB;

/** The full cables.csv release is 1.7 GB decompressed; nothing a reader accepts comes near 8 GB. */
export const MAX_DECOMPRESSED_BYTES = 8 * 1024 * MB;

/**
 * Real inputs compress 3 to 5 times (cables.csv.gz 2.8, the HTML tar.gz 4.0); gzip itself cannot go
 * past about 1,030. Past 100 the stream is repetition (zeros, one record again and again): a bomb.
 */
export const MAX_COMPRESSION_RATIO = 100;

/** A small file may compress far better than a corpus (a page of blank lines); judge the ratio on 1 MB. */
export const RATIO_CHECK_AFTER_BYTES = 1 * MB;

/**
 * The deepest real nesting is a cables.csv.gz inside a .tar.gz (three levels); past eight the input
 * is built to recurse (a gzip quine expands to itself forever).
 */
export const MAX_NESTING_DEPTH = 8;

/**
 * A file that has given this many errors (broken CSV records, members that are not cables) is not a
 * cable collection; its errors would otherwise pile up in the run summary without bound.
 */
export const MAX_ERRORS_PER_FILE = 1000;

/**
 * Real cables have at most nine blank lines in a row (the 1,295-cable corpus, both forms). The
 * extractors' line-anchored patterns (`^\s*TO\s` with the m flag) rescan a run of blank lines from
 * each of its lines: 60,000 of them in a page header took minutes.
 */
export const MAX_BLANK_LINES_IN_A_ROW = 100;

/** The line where more than `max` blank lines follow each other, or null. A lone CR ends a line too. */
export function longBlankRun(text: string, max: number = MAX_BLANK_LINES_IN_A_ROW): number | null {
  let line = 1;
  let run = 0;
  let blank = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const lineEnd = code === 0x0a || (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a);
    if (lineEnd) {
      run = blank ? run + 1 : 0;
      if (run > max) return line - run + 1;
      blank = true;
      line++;
    } else if (code !== 0x20 && code !== 0x09 && code !== 0x0d && code !== 0x0c && code !== 0x0b) {
      blank = false;
    }
  }
  return null;
}

export function blankRunReason(line: number): string {
  return `more than ${MAX_BLANK_LINES_IN_A_ROW} blank lines in a row from line ${line} (a cable has a few at most)`;
}

/** PATH_MAX on Linux; a longer name (tar-stream accepts 4 MB pax paths) is built to hurt. */
export const MAX_MEMBER_NAME_CHARS = 4096;

export const DEFAULT_LIMITS: ReadLimits = {
  maxRecordBytes: DEFAULT_MAX_RECORD_BYTES,
  maxDecompressedBytes: MAX_DECOMPRESSED_BYTES,
  maxCompressionRatio: MAX_COMPRESSION_RATIO,
  ratioCheckAfterBytes: RATIO_CHECK_AFTER_BYTES,
  maxNestingDepth: MAX_NESTING_DEPTH,
  maxErrorsPerFile: MAX_ERRORS_PER_FILE,
  maxMemberNameChars: MAX_MEMBER_NAME_CHARS,
};

/** An input refused for breaking one of these limits; its message names the limit. */
export class InputLimitError extends Error {}

export function formatLimit(bytes: number): string {
  const gb = bytes / (1024 * MB);
  if (gb >= 1) return `${Number(gb.toFixed(1))} GB`;
  const mb = bytes / MB;
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${bytes} bytes`;
}
