// Table types for Kysely. Column names are snake_case in SQL and here.
import type { ColumnType, Generated } from 'kysely';

import type { Recipient } from '../extract/types.ts';

/** DATE columns come back as `YYYY-MM-DD` strings on both drivers (see connect.ts). */
type IsoDate = string;

export interface CableTable {
  id: Generated<number>;
  ref: string;
  date: IsoDate | null;
  classification: string | null;
  caveats: string[];
  origin: string | null;
  subject: string | null;
  tags: string[];
  declassify_on: IsoDate | null;
  classified_by_name: string | null;
  classified_by_title: string | null;
  signers: string[];
  recipients: ColumnType<Recipient[], string, string>;
  info_recipients: ColumnType<Recipient[], string, string>;
  summary: string | null;
  header: string | null;
  body: string;
  source: string;
  source_format: string;
  content_hash: string;
  extractor_version: number;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, string | undefined, string>;
}

export interface ParagraphTable {
  cable_id: number;
  position: number;
  number: number;
  marking: string | null;
  text: string;
  span_start: number;
  span_end: number;
}

export interface CableReferenceTable {
  cable_id: number;
  position: number;
  kind: string;
  bullet: string | null;
  value: string;
  /** Canonical id of the referenced cable; it need not be in the database. */
  to_ref: string | null;
}

export interface Database {
  cable: CableTable;
  paragraph: ParagraphTable;
  cable_reference: CableReferenceTable;
}
