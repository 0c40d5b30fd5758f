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
  /** What a reader needs to see the whole cable: rank on the clearance ladder (src/extract/markings.ts). */
  access_rank: number;
  noforn: boolean;
  /** What a reader needs to see the subject line. */
  subject_access_rank: number;
  subject_noforn: boolean;
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
  /** What a reader needs to see this paragraph (its own marking, else the cable's). */
  access_rank: number;
  noforn: boolean;
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

export interface CountryTable {
  id: Generated<number>;
  code: string;
  name: string;
}

export interface TopicTable {
  id: Generated<number>;
  code: string;
  name: string | null;
  kind: string;
  country_id: number | null;
}

export interface CableTopicTable {
  cable_id: number;
  topic_id: number;
  position: number;
}

export interface PersonTable {
  id: Generated<number>;
  key: string;
  name: string;
  aliases: string[];
  country_id: number | null;
  surname_key: string;
  cable_count: Generated<number>;
  mention_count: Generated<number>;
  first_date: IsoDate | null;
  last_date: IsoDate | null;
}

export interface OrganizationTable {
  id: Generated<number>;
  key: string;
  name: string;
  aliases: string[];
  kind: string;
  country_id: number | null;
  form_keys: string[];
  cable_count: Generated<number>;
  mention_count: Generated<number>;
}

export interface CablePersonTable {
  id: Generated<number>;
  cable_id: number;
  local_index: number;
  name: string;
  aliases: string[];
  titles: string[];
  organizations: string[];
  country_id: number | null;
  name_key: string;
  surname_key: string;
  person_id: number | null;
  /** The cable's date, copied so that a person's cables come out of one index in date order (0011). */
  cable_date: IsoDate | null;
}

/** Cables per day (0012), kept by writeCables. */
export interface CableDayTable {
  day: IsoDate;
  cables: number;
}

export interface CableOrganizationTable {
  id: Generated<number>;
  cable_id: number;
  local_index: number;
  name: string;
  aliases: string[];
  kind: string;
  country_id: number | null;
  form_keys: string[];
  organization_id: number | null;
}

export interface MentionTable {
  id: Generated<string>;
  cable_id: number;
  paragraph: number;
  kind: number;
  local_id: number;
  entity_id: number | null;
  span_start: number;
  span_end: number;
  surface: string;
  title: string | null;
}

export interface DateMentionTable {
  cable_id: number;
  position: number;
  paragraph: number;
  span_start: number;
  span_end: number;
  text: string;
  date: string;
}

export interface EdgeTable {
  kind: number;
  source_id: number;
  target_id: number;
  paragraphs: number;
  cables: number;
}

export interface PersonCandidateTable {
  person_id: number;
  candidate_id: number;
  score: number;
  reason: string;
}

export interface JudgmentTable {
  id: Generated<number>;
  kind: string;
  members: ColumnType<string[], string, string>;
  author: string;
  reason: string | null;
  created_at: ColumnType<Date, never, never>;
}

export interface ApiKeyTable {
  id: Generated<number>;
  name: string;
  /** The key's first characters, for telling keys apart in listings. */
  prefix: string;
  /** SHA-256 of the whole key, lower-case hex. */
  key_hash: string;
  /** One of CLEARANCES (src/extract/markings.ts). */
  clearance: string;
  noforn: boolean;
  created_at: ColumnType<Date, never, never>;
  revoked_at: ColumnType<Date | null, never, Date>;
  last_used_at: ColumnType<Date | null, never, Date>;
}

export interface Database {
  cable: CableTable;
  paragraph: ParagraphTable;
  cable_reference: CableReferenceTable;
  country: CountryTable;
  topic: TopicTable;
  cable_topic: CableTopicTable;
  person: PersonTable;
  organization: OrganizationTable;
  cable_person: CablePersonTable;
  cable_day: CableDayTable;
  cable_organization: CableOrganizationTable;
  mention: MentionTable;
  date_mention: DateMentionTable;
  edge: EdgeTable;
  person_candidate: PersonCandidateTable;
  judgment: JudgmentTable;
  api_key: ApiKeyTable;
  graph_pending_cable: GraphPendingCableTable;
  graph_pending_surname: GraphPendingSurnameTable;
  graph_pending_mention: GraphPendingMentionTable;
  graph_stale_count: GraphStaleCountTable;
  standalone_name: StandaloneNameTable;
  surname_writing: SurnameWritingTable;
  surname_cables: SurnameCablesTable;
}

/** A distinct way person records write a surname, kept by triggers on cable_person (migration 0014). */
export interface SurnameWritingTable {
  surname_key: string;
  /** surname_writing_key(name, aliases): a hash standing for both in the key. */
  writing: string;
  titled: boolean;
  /** Written by records derived from other cables (local_index >= DERIVED_LOCAL_INDEX). */
  derived: boolean;
  name: string;
  aliases: string[];
  /** Records writing it so. */
  records: number;
}

/** Cables holding an extracted record of a surname, kept by triggers on cable_person (migration 0014). */
export interface SurnameCablesTable {
  surname_key: string;
  cables: number;
}

/** A capitalized word of a cable that may be a surname written alone (migration 0008). */
export interface StandaloneNameTable {
  cable_id: number;
  paragraph: number;
  span_start: number;
  span_end: number;
  text: string;
  surname_key: string;
}

/** A surname block whose records have not been clustered since they changed (migration 0009). */
export interface GraphPendingSurnameTable {
  surname_key: string;
}

/** A person mention of a cable waiting for settling, which moves it into `mention` with its person (migration 0010). */
export interface GraphPendingMentionTable {
  cable_id: number;
  paragraph: number;
  /** The cable_person record it names. */
  local_id: number;
  span_start: number;
  span_end: number;
  surface: string;
  title: string | null;
}

/** A cable whose co-mention evidence is not yet in `edge` (migration 0007). */
export interface GraphPendingCableTable {
  cable_id: number;
  /** Its held person mentions are in `mention` (0013). */
  released: Generated<boolean>;
  /** Which halves of its evidence are in `edge`: bit 0 pairs with an even source id, bit 1 odd. */
  halves: Generated<number>;
}

/** An entity (kind: MENTION_KIND person or organization) whose counts are out of date. */
export interface GraphStaleCountTable {
  kind: number;
  entity_id: number;
}
