// What a reader may see, enforced in one place: for each clearance a reader can hold there is a
// schema of views (`reader_confidential`, `reader_secret_noforn` …) named like the tables they
// stand for and holding only what that clearance allows. A reader's queries run with that schema
// as their whole `search_path`, so every statement — built by Kysely or written as raw SQL, today
// or by a resolver added later — reads the views, never the tables. A table that has no rule here
// has no view and cannot be reached at all (the schemas are not built until every table has a
// rule), so forgetting a rule fails closed.
//
// What the views hide: paragraphs whose marking the reader may not see, and every mention, date,
// entity, count and co-mention edge that comes from them. A cable the reader may see only in part
// keeps its reference, date, origin and markings, shows its subject only when the subject's own
// marking allows, and loses its header-level fields (TAGS, REF list, Classified By, signers,
// recipients, summary); its body is its visible paragraphs. A person or organization named in a
// hidden portion as well is shown with what the visible portions say of them (names, titles,
// counts, dates), never with what only the hidden ones say.
import { createHash } from 'node:crypto';

import { CompiledQuery, sql, type DatabaseConnection, type Driver, type Kysely, type TransactionSettings } from 'kysely';

import { CLEARANCES, keyAccess, type Access } from '../extract/markings.ts';
import type { Database } from './schema.ts';

/** Tables no reader reaches through the API: bookkeeping, credentials and ingest's own working data. */
const UNREACHABLE = new Set([
  'api_key',
  'cablegraph_setting',
  'kysely_migration',
  'kysely_migration_lock',
  'graph_pending_cable',
  'graph_pending_surname',
  'graph_pending_mention',
  'graph_stale_count',
  'standalone_name',
  'surname_writing',
  'surname_cables',
]);

/** Whether a reader with this access sees everything stored: such a reader reads the tables themselves. */
export function seesEverything(access: Access | null): boolean {
  return access === null || (access.rank >= CLEARANCES.length - 1 && access.noforn);
}

/** The schema of views for a reader with this access. */
export function readerSchema(access: Access): string {
  return `reader_${CLEARANCES[access.rank]!.toLowerCase()}${access.noforn ? '_noforn' : ''}`;
}

/** Every restricted access a key can hold (everything but TOP_SECRET with NOFORN). */
export function restrictedAccesses(): Access[] {
  return CLEARANCES.flatMap((_, rank) => [false, true].map((noforn) => ({ rank, noforn }))).filter((a) => !seesEverything(a));
}

type Columns = Record<string, string>;

/**
 * One rule per table: the view's body, given the reader schema `s` (whose `s.allows(rank, noforn)`
 * is the visibility predicate). Rules that redact columns list every column of their table, so a
 * column added later must be given a rule too (checked against the catalog when schemas are built).
 */
interface TableRule {
  /** Columns and the expression each takes in the view; absent when the view keeps whole rows (`t.*`). */
  columns?: (s: string) => Columns;
  /** The FROM … WHERE part; the table is aliased `t`. */
  from: (s: string) => string;
}

const visibleParagraph = (s: string, cable: string, position: string) =>
  `exists (select 1 from public.paragraph p where p.cable_id = ${cable} and p.position = ${position} and ${s}.allows(p.access_rank, p.noforn))`;
const wholeCable = (s: string, cable: string) =>
  `exists (select 1 from public.cable c where c.id = ${cable} and ${s}.allows(c.access_rank, c.noforn))`;

/**
 * A cable's own entity records (`cable_person`, `cable_organization`) with their visible-mention
 * statistics as `v`: those with a visible mention, and those named nowhere in the text (a signer,
 * say), which go with the whole cable.
 */
const cableRecords = (
  s: string,
  table: string,
  kind: number,
) => `public.${table} t left join ${s}.local_stats v on v.kind = ${kind} and v.local_id = t.id
      where v.local_id is not null
         or (${wholeCable(s, 't.cable_id')} and not exists (select 1 from public.mention m where m.kind = ${kind} and m.local_id = t.id))`;

const keep = (column: string) => `t.${column}`;
// Rows named nowhere in the text (a signer, say) have no statistics: nothing of them is hidden.
const whenComplete = (column: string, otherwise: string) => `case when coalesce(v.complete, true) then t.${column} else ${otherwise} end`;

// Mention kinds (src/db/write-graph.ts MENTION_KIND): 1 person, 2 organization, 3 country.
const RULES: Record<string, TableRule> = {
  cable: {
    columns: (s) => ({
      id: keep('id'),
      ref: keep('ref'),
      date: keep('date'),
      classification: keep('classification'),
      caveats: keep('caveats'),
      origin: keep('origin'),
      subject: `case when ${s}.allows(t.subject_access_rank, t.subject_noforn) then t.subject end`,
      tags: `case when a.whole then t.tags else '{}'::text[] end`,
      declassify_on: `case when a.whole then t.declassify_on end`,
      classified_by_name: `case when a.whole then t.classified_by_name end`,
      classified_by_title: `case when a.whole then t.classified_by_title end`,
      signers: `case when a.whole then t.signers else '{}'::text[] end`,
      recipients: `case when a.whole then t.recipients else '[]'::jsonb end`,
      info_recipients: `case when a.whole then t.info_recipients else '[]'::jsonb end`,
      summary: `case when a.whole then t.summary end`,
      header: `case when a.whole then t.header end`,
      body: `case when a.whole then t.body else coalesce((select string_agg(p.text, E'\\n\\n' order by p.position) from ${s}.paragraph p where p.cable_id = t.id), '') end`,
      source: keep('source'),
      source_format: keep('source_format'),
      content_hash: keep('content_hash'),
      extractor_version: keep('extractor_version'),
      access_rank: keep('access_rank'),
      noforn: keep('noforn'),
      subject_access_rank: keep('subject_access_rank'),
      subject_noforn: keep('subject_noforn'),
      created_at: keep('created_at'),
      updated_at: keep('updated_at'),
    }),
    from: (s) => `public.cable t cross join lateral (select ${s}.allows(t.access_rank, t.noforn) as whole) a
      where a.whole or ${s}.allows(t.subject_access_rank, t.subject_noforn)
         or exists (select 1 from ${s}.paragraph p where p.cable_id = t.id)`,
  },
  paragraph: { from: (s) => `public.paragraph t where ${s}.allows(t.access_rank, t.noforn)` },
  // Cables per day, counted from the cables the reader sees (the stored counts are of them all).
  cable_day: {
    from: (s) => `(select c.date as day, count(*)::int as cables from ${s}.cable c where c.date is not null group by c.date) t`,
  },
  mention: { from: (s) => `public.mention t where ${visibleParagraph(s, 't.cable_id', 't.paragraph')}` },
  date_mention: { from: (s) => `public.date_mention t where ${visibleParagraph(s, 't.cable_id', 't.paragraph')}` },
  // The REF list and TAGS are header lines: they go with the whole cable.
  cable_reference: { from: (s) => `public.cable_reference t where ${wholeCable(s, 't.cable_id')}` },
  cable_topic: { from: (s) => `public.cable_topic t where ${wholeCable(s, 't.cable_id')}` },
  topic: { from: (s) => `public.topic t where exists (select 1 from ${s}.cable_topic ct where ct.topic_id = t.id)` },
  country: {
    from: (s) => `public.country t
      where exists (select 1 from ${s}.mention m where m.kind = 3 and m.entity_id = t.id)
         or exists (select 1 from ${s}.cable_topic ct join public.topic tp on tp.id = ct.topic_id where tp.country_id = t.id)`,
  },
  cable_person: {
    columns: () => ({
      id: keep('id'),
      cable_id: keep('cable_id'),
      local_index: keep('local_index'),
      name: whenComplete('name', 'v.best'),
      aliases: whenComplete('aliases', 'v.surfaces'),
      titles: whenComplete('titles', 'v.titles'),
      organizations: whenComplete('organizations', `'{}'::text[]`),
      country_id: whenComplete('country_id', 'null'),
      name_key: whenComplete('name_key', `''`),
      surname_key: whenComplete('surname_key', `''`),
      person_id: keep('person_id'),
      cable_date: keep('cable_date'),
    }),
    from: (s) => cableRecords(s, 'cable_person', 1),
  },
  cable_organization: {
    columns: () => ({
      id: keep('id'),
      cable_id: keep('cable_id'),
      local_index: keep('local_index'),
      name: whenComplete('name', 'v.best'),
      aliases: whenComplete('aliases', 'v.surfaces'),
      kind: keep('kind'),
      country_id: whenComplete('country_id', 'null'),
      form_keys: whenComplete('form_keys', `'{}'::text[]`),
      organization_id: keep('organization_id'),
    }),
    from: (s) => cableRecords(s, 'cable_organization', 2),
  },
  person: {
    columns: () => ({
      id: keep('id'),
      key: whenComplete('key', `''`),
      name: whenComplete('name', 'v.best'),
      aliases: whenComplete('aliases', 'v.surfaces'),
      country_id: whenComplete('country_id', 'null'),
      surname_key: whenComplete('surname_key', `''`),
      cable_count: whenComplete('cable_count', 'v.cables'),
      mention_count: whenComplete('mention_count', 'v.mentions'),
      first_date: whenComplete('first_date', 'v.first_date'),
      last_date: whenComplete('last_date', 'v.last_date'),
    }),
    from: (s) => `public.person t join ${s}.entity_stats v on v.kind = 1 and v.entity_id = t.id`,
  },
  organization: {
    columns: () => ({
      id: keep('id'),
      key: whenComplete('key', `''`),
      name: whenComplete('name', 'v.best'),
      aliases: whenComplete('aliases', 'v.surfaces'),
      kind: keep('kind'),
      country_id: whenComplete('country_id', 'null'),
      form_keys: whenComplete('form_keys', `'{}'::text[]`),
      cable_count: whenComplete('cable_count', 'v.cables'),
      mention_count: whenComplete('mention_count', 'v.mentions'),
    }),
    from: (s) => `public.organization t join ${s}.entity_stats v on v.kind = 2 and v.entity_id = t.id`,
  },
  // Co-mention edges recounted from visible mentions only (kept in `edge_evidence`, below).
  edge: { from: (s) => `${s}.edge_evidence t` },
  person_candidate: {
    from: (s) => `public.person_candidate t
      where exists (select 1 from ${s}.mention m where m.kind = 1 and m.entity_id = t.person_id)
        and exists (select 1 from ${s}.mention m where m.kind = 1 and m.entity_id = t.candidate_id)`,
  },
  // Analysts' judgments name entities and give reasons: not for restricted readers.
  judgment: { from: () => `public.judgment t where false` },
};

/**
 * What is counted over the whole graph is kept, per reader schema, in materialized views that
 * `refreshReaderCaches` fills, and brings up to date after an ingest, for the clearances API keys
 * hold. They are built empty: filling the views of every clearance whenever the schemas are
 * rebuilt (a migration) read every mention of the graph once per view and clearance, for
 * clearances no key may hold (at the full release's size, tens of minutes). They hold: the
 * co-mention edges with the table's definition (src/db/write-graph.ts: `cables` the cables naming
 * both ends, `paragraphs` the (cable, paragraph) pairs naming both) and, per person and
 * organization, what the visible mentions say of them. Computing either per request would read every mention of the graph.
 */
function cachedViews(s: string): string[] {
  return [
    `create materialized view ${s}.edge_evidence as
      select k.edge_kind::smallint as kind, a.entity_id as source_id, b.entity_id as target_id,
             count(distinct (a.cable_id, a.paragraph)) filter (where a.paragraph = b.paragraph)::int as paragraphs,
             count(distinct a.cable_id)::int as cables
      from ${s}.mention a
      join ${s}.mention b on b.cable_id = a.cable_id
      join (values (1, 1, 1), (1, 2, 2), (2, 3, 3)) k(kind_a, kind_b, edge_kind) on a.kind = k.kind_a and b.kind = k.kind_b
      where a.entity_id is not null and b.entity_id is not null and not (a.kind = b.kind and a.entity_id >= b.entity_id)
      group by k.edge_kind, a.entity_id, b.entity_id
      with no data`,
    `create unique index on ${s}.edge_evidence (kind, source_id, target_id)`,
    `create index on ${s}.edge_evidence (kind, target_id)`,
    // Entities, and each cable's own entity records, with at least one visible mention; complete
    // when none of their mentions is hidden.
    `create materialized view ${s}.entity_stats as ${mentionStats(s, 'entity_id')} with no data`,
    `create unique index on ${s}.entity_stats (kind, entity_id)`,
    `create materialized view ${s}.local_stats as ${mentionStats(s, 'local_id')} with no data`,
    `create unique index on ${s}.local_stats (kind, local_id)`,
  ];
}

/**
 * What the visible mentions say of each person and organization (or cable record: `local_id`).
 * An entity is complete when none of its mentions is hidden and each cable it has a record in
 * names it in the text: its stored counts and dates (src/db/write-graph.ts refreshCounts) count the
 * cables of its records, so a record named nowhere in the text (a signature the text does not
 * repeat) may bring in a cable the reader may not see. Such an entity (rare: 6 of the corpus's
 * 13,488 person records) is shown with what its visible mentions say, as a partly hidden one is.
 */
function mentionStats(s: string, key: 'entity_id' | 'local_id'): string {
  const allowed = `${s}.allows(p.access_rank, p.noforn)`;
  const complete =
    key === 'entity_id'
      ? `bool_and(${allowed}) and count(distinct m.cable_id) = (case when m.kind = 1
           then (select e.cable_count from public.person e where e.id = m.entity_id)
           else (select e.cable_count from public.organization e where e.id = m.entity_id) end)`
      : `bool_and(${allowed})`;
  return `select m.kind, m.${key},
      ${complete} as complete,
      count(*) filter (where ${allowed})::int as mentions,
      count(distinct m.cable_id) filter (where ${allowed})::int as cables,
      (array_agg(regexp_replace(m.surface, '\\s+', ' ', 'g') order by length(m.surface) desc, m.surface) filter (where ${allowed}))[1] as best,
      coalesce(array_agg(distinct regexp_replace(m.surface, '\\s+', ' ', 'g')) filter (where ${allowed}), '{}') as surfaces,
      coalesce(array_agg(distinct m.title) filter (where ${allowed} and m.title is not null), '{}') as titles,
      min(c.date) filter (where ${allowed}) as first_date,
      max(c.date) filter (where ${allowed}) as last_date
    from public.mention m
    join public.paragraph p on p.cable_id = m.cable_id and p.position = m.paragraph
    join public.cable c on c.id = m.cable_id
    where m.kind in (1, 2) and m.${key} is not null
    group by m.kind, m.${key}
    having count(*) filter (where ${allowed}) > 0`;
}

/** The reader accesses of the active API keys. */
async function activeKeyAccesses(db: Kysely<Database>): Promise<Access[]> {
  const { rows } = await sql<{ clearance: string; noforn: boolean }>`
    select distinct clearance, noforn from api_key where revoked_at is null`.execute(db);
  return rows.map((row) => keyAccess(row.clearance, row.noforn));
}

/**
 * Recounts the cached evidence of the reader schemas of `accesses` (by default those of the
 * active API keys): after an ingest, and when a key with a new clearance is created. Readers keep
 * reading the previous counts while this runs.
 */
export async function refreshReaderCaches(db: Kysely<Database>, accesses?: Access[]): Promise<void> {
  const schemas = new Set((accesses ?? (await activeKeyAccesses(db))).filter((a) => !seesEverything(a)).map(readerSchema));
  for (const s of schemas) {
    const { rows } = await sql<{ name: string; populated: boolean }>`
      select matviewname as name, ispopulated as populated from pg_matviews where schemaname = ${s}`.execute(db);
    const populated = new Map(rows.map((row) => [row.name, row.populated]));
    for (const view of CACHED_VIEWS) {
      // A view built empty (see cachedViews) is filled once, without `concurrently`, which needs data to compare.
      await sql.raw(`refresh materialized view ${populated.get(view) ? 'concurrently ' : ''}${s}.${view}`).execute(db);
    }
  }
}

/** The materialized views of each reader schema, in the order they are refreshed. */
const CACHED_VIEWS = ['edge_evidence', 'entity_stats', 'local_stats'] as const;

/** Base tables and their columns, in order, from the catalog. */
async function baseTables(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
    order by c.table_name, c.ordinal_position`.execute(db);
  const tables = new Map<string, string[]>();
  for (const row of rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name]);
  return tables;
}

/** The DDL of every reader schema, checked against the tables as they are. */
export function readerSchemasSql(tables: Map<string, string[]>): string {
  const missing = [...tables.keys()].filter((table) => !UNREACHABLE.has(table) && !RULES[table]);
  if (missing.length > 0) throw new Error(`no visibility rule for table ${missing.join(', ')} (src/db/visibility.ts)`);
  const statements: string[] = [];
  for (const access of restrictedAccesses()) {
    const s = readerSchema(access);
    statements.push(`drop schema if exists ${s} cascade`, `create schema ${s}`);
    statements.push(`create function ${s}.allows(rank smallint, noforn boolean) returns boolean language sql immutable parallel safe
      as $$ select rank <= ${access.rank} and (${access.noforn} or not noforn) $$`);
    // Views that others read first; the cached counts read the visible mentions.
    const order = ['paragraph', 'mention', 'cable_topic', ...Object.keys(RULES)].filter((t, i, all) => all.indexOf(t) === i);
    for (const table of order) {
      if (!tables.has(table)) continue;
      const rule = RULES[table]!;
      let select = 't.*';
      if (rule.columns) {
        const columns = rule.columns(s);
        const actual = tables.get(table)!;
        const unruled = actual.filter((c) => !(c in columns));
        const stale = Object.keys(columns).filter((c) => !actual.includes(c));
        if (unruled.length || stale.length)
          throw new Error(
            `visibility rule for ${table} does not match its columns: ${[...unruled.map((c) => `no rule for ${c}`), ...stale.map((c) => `no column ${c}`)].join(', ')}`,
          );
        select = actual.map((c) => `${columns[c]} as ${c}`).join(', ');
      }
      statements.push(`create view ${s}.${table} as select ${select} from ${rule.from(s)}`);
      if (table === 'mention') statements.push(...cachedViews(s));
    }
  }
  return statements.join(';\n');
}

/**
 * Builds the reader schemas when they are missing or out of date (their definition or the tables'
 * columns changed). Safe to call from several processes at once.
 */
export async function ensureReaderSchemas(db: Kysely<Database>): Promise<void> {
  const ddl = readerSchemasSql(await baseTables(db));
  const version = createHash('sha256').update(ddl).digest('hex');
  const current = async (executor: Kysely<Database>) =>
    (await sql<{ value: string }>`select value from cablegraph_setting where name = 'reader_schemas'`.execute(executor)).rows[0]?.value;
  if ((await current(db)) === version) return;
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('cablegraph reader schemas'))`.execute(trx);
    if ((await current(trx)) === version) return;
    for (const statement of ddl.split(';\n')) await sql.raw(statement).execute(trx);
    await sql`insert into cablegraph_setting (name, value) values ('reader_schemas', ${version})
              on conflict (name) do update set value = excluded.value`.execute(trx);
  });
  // The clearances keys hold are read from now on: their views are filled now.
  await refreshReaderCaches(db);
}

/**
 * Shares one driver (one pool, or PGlite's one connection) among database handles that each see
 * through their own `search_path`: a connection is switched when a handle takes it with another
 * path than it last had, before any statement of that handle runs on it.
 */
export class SearchPathDrivers {
  #inner: Driver;
  #paths = new WeakMap<object, string>();
  #session: (connection: DatabaseConnection) => object;
  #initialized: Promise<void> | undefined;

  /** `session` names what holds the setting: the pooled connection, or PGlite's single session. */
  constructor(inner: Driver, session: (connection: DatabaseConnection) => object = (c) => c) {
    this.#inner = inner;
    this.#session = session;
  }

  /** A driver for handles whose statements run with `path` as their search_path. */
  driver(path: string, owner = false): Driver {
    const inner = this.#inner;
    const paths = this.#paths;
    const session = this.#session;
    const init = () => (this.#initialized ??= inner.init());
    return {
      init,
      async acquireConnection() {
        const connection = await inner.acquireConnection();
        const key = session(connection);
        if (paths.get(key) !== path) {
          try {
            await connection.executeQuery(CompiledQuery.raw(`set search_path to ${path}`));
          } catch (error) {
            await inner.releaseConnection(connection);
            throw error;
          }
          paths.set(key, path);
        }
        return connection;
      },
      beginTransaction: (connection: DatabaseConnection, settings: TransactionSettings) => inner.beginTransaction(connection, settings),
      commitTransaction: (connection: DatabaseConnection) => inner.commitTransaction(connection),
      rollbackTransaction: (connection: DatabaseConnection) => inner.rollbackTransaction(connection),
      ...(inner.savepoint && { savepoint: inner.savepoint.bind(inner) }),
      ...(inner.rollbackToSavepoint && { rollbackToSavepoint: inner.rollbackToSavepoint.bind(inner) }),
      ...(inner.releaseSavepoint && { releaseSavepoint: inner.releaseSavepoint.bind(inner) }),
      releaseConnection: (connection: DatabaseConnection) => inner.releaseConnection(connection),
      destroy: async () => {
        if (owner) await inner.destroy();
      },
    };
  }
}
