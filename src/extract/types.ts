// The extraction contract: what `extract` returns for one cable (or a fragment of one).
// The JSON keys are the ones ../shared/eval/score.py reads; keys not extracted are present and empty.

/** What a caller knows about a cable besides its text (from a CSV row, an HTML table, a hint). */
export interface CableHints {
  /** Reference id as the source gives it ("03OTTAWA692", "05UNVIE1"). */
  id?: string;
  /** Creation date, ISO `YYYY-MM-DD` (a time part is ignored). */
  date?: string;
  year?: number;
  classification?: string;
  origin?: string;
  /** Routing header (the first `<pre>` of an HTML page, the `header` column of cables.csv). */
  header?: string;
  /** Extra reference ids given by the source (the `references` column of the full release). */
  references?: string[];
}

export interface ExtractRequest extends CableHints {
  /** Cable body, a fragment of one, or a whole WikiLeaks cablegate HTML page. */
  text: string;
}

export type ReferenceKind = 'cable' | 'email' | 'tel' | 'memo' | 'report' | 'book' | 'other';

export interface ReferenceItem {
  kind: ReferenceKind;
  /** The canonical cable id for `cable` items, otherwise the item's text. */
  value: string;
  /** The bullet letter (`A`, `B` …) or null when the REF line has a single unlettered item. */
  bullet: string | null;
}

export interface Recipient {
  /** Routing indicator before the slash (`RUEHC` in `RUEHC/SECSTATE WASHDC`), if any. */
  route: string | null;
  name: string;
  precedence: string | null;
  /** Message (channel) number after the precedence. */
  mcn: string | null;
  excluded: string[];
}

export interface ClassifiedBy {
  name: string;
  title: string | null;
}

/** A character span in the cable body: [start, end) in UTF-16 code units, as JavaScript counts. */
export interface Span {
  start: number;
  end: number;
}

export interface Paragraph extends Span {
  /**
   * 0 for the text before the first numbered paragraph (the header block: TAGS, SUBJECT, REF,
   * Classified By), then the paragraph's own number.
   */
  number: number;
  /** The paragraph's own portion marking, normalized: `U`, `SBU`, `C`, `S`, `S/NF` …, or null. */
  marking: string | null;
  text: string;
}

export type EntityKind = 'person' | 'organization' | 'country' | 'date';

/** One occurrence of an entity in the body. */
export interface Mention extends Span {
  kind: EntityKind;
  /** The entity's display name (for a person, its `name`; for a country, its English short name). */
  entity: string;
  paragraph: number;
  /** The surface form at the span. */
  text: string;
  /** The title used with this occurrence ("Prime Minister"), if any. */
  title?: string | null;
}

export interface Person {
  name: string;
  aliases: string[];
  titles: string[];
  country: string | null;
  countryCode: string | null;
  /** Organization names this person is affiliated with in the text ("PCO's Rob Fonberg"). */
  organizations: string[];
  paragraphs: number[];
}

export type OrganizationKind =
  'ministry' | 'agency' | 'office' | 'legislature' | 'party' | 'international' | 'military' | 'company' | 'media' | 'ngo' | 'other';

export interface Organization {
  name: string;
  aliases: string[];
  kind: OrganizationKind;
  country: string | null;
  countryCode: string | null;
  paragraphs: number[];
}

export interface DateMention extends Span {
  text: string;
  /** ISO `YYYY-MM-DD` or `YYYY-MM`. */
  date: string;
  paragraph: number;
}

export interface Extraction {
  id: string | null;
  date: string | null;
  classification: string | null;
  /** Caveats of the cable classification (`NOFORN`, `SIPDIS`…) kept apart from the level. */
  caveats: string[];
  origin: string | null;
  subject: string | null;
  tags: string[];
  references: string[];
  referenceItems: ReferenceItem[];
  classifiedBy: ClassifiedBy | null;
  signers: string[];
  declassifyOn: string | null;
  recipients: Recipient[];
  infoRecipients: Recipient[];
  summary: string | null;
  paragraphs: Paragraph[];
  persons: Person[];
  organizations: Organization[];
  /** English short names ("United Kingdom", "Russia"). */
  countries: string[];
  dates: DateMention[];
  mentions: Mention[];
}
