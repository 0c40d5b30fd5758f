// A database's content as a fingerprint that two ingests of the same input must share: per table,
// the row count and the md5 of its rows sorted as text. Generated ids (cable, person, mention …)
// and timestamps depend on the history of the database, not on its content (a transaction rolled
// back by a kill still consumes identity values), so rows name what they point at by natural key:
// a cable by its ref, a person or organization by its key, a country by its code, a per-cable
// entity record by (cable ref, local index).

/** Runs one query and returns its rows; PostgreSQL through pg or PGlite, the same SQL. */
export type Query = (text: string) => Promise<Record<string, unknown>[]>;

export interface TableFingerprint {
  rows: number;
  md5: string;
  /** false when no natural-key mapping is known for the table: its rows are compared as stored. */
  mapped: boolean;
}

export type Fingerprint = Record<string, TableFingerprint>;

const CABLE_PERSON_KEY = `(select c.ref || '#' || cp.local_index from cable_person cp join cable c on c.id = cp.cable_id where cp.id = m.local_id)`;
const CABLE_ORGANIZATION_KEY = `(select c.ref || '#' || co.local_index from cable_organization co join cable c on c.id = co.cable_id where co.id = m.local_id)`;
const PERSON_KEY = (id: string) => `(select key from person where id = ${id})`;
const ORGANIZATION_KEY = (id: string) => `(select key from organization where id = ${id})`;
const COUNTRY_CODE = (id: string) => `(select code from country where id = ${id})`;

/** Each table's rows with ids replaced by natural keys; every column not listed is an id or a timestamp. */
const MAPPED: Record<string, string> = {
  cable: `select ref, date, classification, caveats, origin, subject, tags, declassify_on, classified_by_name,
            classified_by_title, signers, recipients, info_recipients, summary, header, body, source, source_format,
            content_hash, extractor_version from cable`,
  paragraph: `select c.ref, p.position, p.number, p.marking, p.text, p.span_start, p.span_end
              from paragraph p join cable c on c.id = p.cable_id`,
  cable_reference: `select c.ref, r.position, r.kind, r.bullet, r.value, r.to_ref from cable_reference r join cable c on c.id = r.cable_id`,
  country: `select code, name from country`,
  topic: `select t.code, t.name, t.kind, ${COUNTRY_CODE('t.country_id')} from topic t`,
  cable_topic: `select c.ref, t.code, ct.position from cable_topic ct join cable c on c.id = ct.cable_id join topic t on t.id = ct.topic_id`,
  person: `select p.key, p.name, p.aliases, ${COUNTRY_CODE('p.country_id')}, p.surname_key, p.cable_count, p.mention_count,
             p.first_date, p.last_date from person p`,
  organization: `select o.key, o.name, o.aliases, o.kind, ${COUNTRY_CODE('o.country_id')}, o.form_keys, o.cable_count, o.mention_count
                 from organization o`,
  cable_person: `select c.ref, cp.local_index, cp.name, cp.aliases, cp.titles, cp.organizations, ${COUNTRY_CODE('cp.country_id')},
                   cp.name_key, cp.surname_key, ${PERSON_KEY('cp.person_id')} from cable_person cp join cable c on c.id = cp.cable_id`,
  cable_organization: `select c.ref, co.local_index, co.name, co.aliases, co.kind, ${COUNTRY_CODE('co.country_id')}, co.form_keys,
                         ${ORGANIZATION_KEY('co.organization_id')} from cable_organization co join cable c on c.id = co.cable_id`,
  // kind 1 person, 2 organization, 3 country (src/db/migrations/0002-graph.ts).
  mention: `select c.ref, m.paragraph, m.kind,
              case m.kind when 1 then ${CABLE_PERSON_KEY} when 2 then ${CABLE_ORGANIZATION_KEY} else ${COUNTRY_CODE('m.local_id')} end,
              case m.kind when 1 then ${PERSON_KEY('m.entity_id')} when 2 then ${ORGANIZATION_KEY('m.entity_id')} else ${COUNTRY_CODE('m.entity_id')} end,
              m.span_start, m.span_end, m.surface, m.title
            from mention m join cable c on c.id = m.cable_id`,
  date_mention: `select c.ref, d.position, d.paragraph, d.span_start, d.span_end, d.text, d.date from date_mention d join cable c on c.id = d.cable_id`,
  standalone_name: `select c.ref, s.paragraph, s.span_start, s.span_end, s.text, s.surname_key from standalone_name s join cable c on c.id = s.cable_id`,
  graph_pending_cable: `select c.ref from graph_pending_cable g join cable c on c.id = g.cable_id`,
  graph_pending_mention: `select c.ref, m.paragraph, ${CABLE_PERSON_KEY}, m.span_start, m.span_end, m.surface, m.title
                          from graph_pending_mention m join cable c on c.id = m.cable_id`,
  // kind 1 person–person (stored with the smaller id first, so the pair is sorted by key here),
  // 2 person → organization, 3 organization → country.
  edge: `select e.kind,
           case e.kind when 1 then least(${PERSON_KEY('e.source_id')}, ${PERSON_KEY('e.target_id')}) when 2 then ${PERSON_KEY('e.source_id')} else ${ORGANIZATION_KEY('e.source_id')} end,
           case e.kind when 1 then greatest(${PERSON_KEY('e.source_id')}, ${PERSON_KEY('e.target_id')}) when 2 then ${ORGANIZATION_KEY('e.target_id')} else ${COUNTRY_CODE('e.target_id')} end,
           e.paragraphs, e.cables
         from edge e`,
  person_candidate: `select ${PERSON_KEY('pc.person_id')}, ${PERSON_KEY('pc.candidate_id')}, pc.score, pc.reason from person_candidate pc`,
  judgment: `select kind, members, author, reason from judgment`,
};

/** Tables kept by the migrator itself: when each migration ran, not what the ingest wrote. */
const IGNORED = new Set(['kysely_migration', 'kysely_migration_lock']);

export async function fingerprint(query: Query): Promise<Fingerprint> {
  const tables = (
    await query(`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`)
  )
    .map((row) => String(row.name))
    .filter((name) => !IGNORED.has(name))
    .sort();
  const result: Fingerprint = {};
  for (const table of tables) {
    const rows = MAPPED[table] ?? `select * from ${table}`;
    const [row] = await query(
      `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from (${rows}) t`,
    );
    result[table] = { rows: Number(row!.rows), md5: String(row!.md5), mapped: table in MAPPED };
  }
  return result;
}

/** Tables whose count or checksum differ, with both sides. */
export function differences(a: Fingerprint, b: Fingerprint): Record<string, { a?: TableFingerprint; b?: TableFingerprint }> {
  const found: Record<string, { a?: TableFingerprint; b?: TableFingerprint }> = {};
  for (const table of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[table]?.rows !== b[table]?.rows || a[table]?.md5 !== b[table]?.md5) found[table] = { a: a[table], b: b[table] };
  }
  return found;
}
