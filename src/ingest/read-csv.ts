// cables.csv of the 2011 full release: 8 columns, every field double-quoted, backslash as escape
// character, records spanning lines. Streamed record by record; a broken record is reported with its
// number and line and skipped, and the records after it still come through.
import { parse, type CsvError, type Parser } from 'csv-parse';

import type { CableHints } from '../extract/types.ts';
import { blankRunReason, formatLimit, longBlankRun } from './limits.ts';
import { throughStage } from './read-bytes.ts';
import { describeReadError } from './read-errors.ts';
import type { ByteSource, ReadItem } from './types.ts';

const COLUMNS = ['row', 'date', 'id', 'origin', 'classification', 'references', 'header', 'body'] as const;
type CsvRow = Record<(typeof COLUMNS)[number], string>;

interface ParsedRow {
  record: CsvRow;
  info: { lines: number };
}
/** Pushed into the parser's output by `on_skip`, so that errors and records arrive in file order. */
interface SkippedRow {
  skipped: CsvError;
  /** The parser's record in progress: the same array for every error raised in one record. */
  recordInProgress: unknown;
}

interface BrokenRecord {
  number: number;
  line: number;
  reason: string;
  moreErrors: number;
  recordInProgress: unknown;
}

export async function* readCsv(source: ByteSource, maxRecordBytes: number): AsyncGenerator<ReadItem> {
  const parser: Parser = parse({
    columns: [...COLUMNS],
    escape: '\\',
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    on_skip: (error) => {
      if (error) parser.push({ skipped: error, recordInProgress: recordInProgress(parser) } satisfies SkippedRow);
    },
  });
  // The guard sits in front of the parser: csv-parse's own `max_record_size` cannot be combined
  // with `skip_records_with_error` (it drops the rest of the chunk being parsed). Chunks go in one
  // at a time (throughStage), so everything fed has been parsed when the next one is checked.
  let fed = 0;
  async function* guarded(): AsyncGenerator<Buffer> {
    for await (const chunk of source.bytes) {
      if (fed - parser.info.bytes > maxRecordBytes) {
        throw new RecordTooLargeError(
          `a field runs past the ${formatLimit(maxRecordBytes)} limit for one cable (a quote is probably never closed)`,
        );
      }
      fed += chunk.length;
      yield chunk;
    }
  }
  // When the bytes fail (a truncated archive member), the records parsed before still come out;
  // the one cut off is not a record.
  const rows = throughStage<ParsedRow | SkippedRow>(guarded(), parser);
  const at = (number: number, line: number) => `${source.location} record ${number} (line ${line})`;
  let recordNumber = 0;
  /** First line of the next record, when the previous record ended cleanly. */
  let nextLine = 1;
  let broken: BrokenRecord | undefined;
  const reportBroken = (): ReadItem => {
    const { number, line, reason, moreErrors } = broken!;
    broken = undefined;
    const more = moreErrors ? ` (and ${moreErrors} more error${moreErrors > 1 ? 's' : ''} in this record)` : '';
    return { kind: 'error', source: at(number, line), reason: reason + more };
  };
  try {
    for await (const item of rows) {
      if ('skipped' in item) {
        if (broken && broken.recordInProgress === item.recordInProgress) {
          broken.moreErrors++;
          continue;
        }
        if (broken) yield reportBroken();
        recordNumber++;
        // The first line of the record when the one before ended cleanly, else where the parser
        // noticed the problem (the reason names that line too).
        const errorLine = typeof item.skipped.lines === 'number' ? item.skipped.lines : Number.NaN;
        const line = Number.isNaN(nextLine) ? errorLine : nextLine;
        broken = { number: recordNumber, line, reason: item.skipped.message, moreErrors: 0, recordInProgress: item.recordInProgress };
        nextLine = Number.NaN;
        continue;
      }
      if (broken) yield reportBroken();
      const { record, info } = item;
      const firstLine = info.lines - countNewlines(record);
      nextLine = info.lines + 1;
      if (recordNumber === 0 && isHeaderRow(record)) continue;
      recordNumber++;
      const location = at(recordNumber, firstLine);
      // Characters rather than bytes: the same for the ASCII text cables are written in.
      const size = COLUMNS.reduce((sum, column) => sum + record[column].length, 0);
      const blankRun = size > maxRecordBytes ? null : blankRunIn(record);
      if (size > maxRecordBytes) {
        yield { kind: 'error', source: location, reason: `larger than the ${formatLimit(maxRecordBytes)} limit for one cable` };
      } else if (!record.body.trim()) {
        yield { kind: 'error', source: location, reason: 'not a cable: the body column is empty' };
      } else if (blankRun !== null) {
        yield { kind: 'error', source: location, reason: blankRun };
      } else {
        yield { kind: 'cable', cable: { text: record.body, hints: hintsOf(record), source: location, format: 'csv' } };
      }
    }
    if (broken) yield reportBroken();
    if (recordNumber === 0) yield { kind: 'error', source: source.location, reason: 'no cables.csv record in this file' };
  } catch (error) {
    if (broken) yield reportBroken();
    const where = Number.isNaN(nextLine) ? `${source.location} after record ${recordNumber}` : at(recordNumber + 1, nextLine);
    yield { kind: 'error', source: where, reason: `${describeReadError(error)}; the rest of this input is skipped` };
  } finally {
    await rows.return(undefined);
  }
}

function hintsOf(record: CsvRow): CableHints {
  const hints: CableHints = {};
  const id = record.id.trim();
  if (id) hints.id = id;
  const date = isoDate(record.date);
  if (date) hints.date = date;
  const classification = record.classification.trim();
  if (classification) hints.classification = classification;
  const origin = record.origin.trim();
  if (origin) hints.origin = origin;
  if (record.header.trim()) hints.header = record.header;
  const references = record.references.split(/[\s,]+/).filter(Boolean);
  if (references.length) hints.references = references;
  return hints;
}

/** `12/28/1966 18:06` -> `1966-12-28`. */
function isoDate(value: string): string | undefined {
  const match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\b/.exec(value);
  if (!match) return undefined;
  const [, month, day, year] = match;
  return `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
}

function isHeaderRow(record: CsvRow): boolean {
  return /^id$/i.test(record.row.trim()) && /^date$/i.test(record.date.trim());
}

function countNewlines(record: CsvRow): number {
  let count = 0;
  for (const column of COLUMNS) {
    const value = record[column];
    for (let at = value.indexOf('\n'); at !== -1; at = value.indexOf('\n', at + 1)) count++;
  }
  return count;
}

function recordInProgress(parser: Parser): unknown {
  // csv-parse keeps the fields of the record being parsed in `state.record` and replaces the array
  // when the next record starts; it is the only way to tell two errors in one record from two
  // broken records in a row.
  return (parser as unknown as { state?: { record?: unknown } }).state?.record;
}

class RecordTooLargeError extends Error {}

function blankRunIn(record: CsvRow): string | null {
  const inBody = longBlankRun(record.body);
  if (inBody !== null) return blankRunReason(inBody);
  const inHeader = longBlankRun(record.header);
  return inHeader === null ? null : `header column: ${blankRunReason(inHeader)}`;
}
