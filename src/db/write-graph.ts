// Writing the entity graph of a batch of cables, inside the batch's transaction: per-cable entity
// records and mentions, then resolution of the surname blocks and organization name groups the
// batch touched, then co-mention edges and counts of the entities whose evidence changed.
// Set-based throughout: a fixed number of statements per batch, whatever its size.
import { sql, type Transaction } from 'kysely';

import { nameParts } from './resolve/name-keys.ts';
import { clusterPersons, type Judgment, type PersonRecord } from './resolve/person-clusters.ts';
import { clusterOrganizations, type OrganizationRecord } from './resolve/organization-clusters.ts';
import type { Database } from './schema.ts';

export const MENTION_KIND = { person: 1, organization: 2, country: 3 } as const;
export type MentionKind = keyof typeof MENTION_KIND;

/** Edge kinds: person-person, person-organization and its reverse, organization-country and its reverse. */
export const EDGE_KIND = {
  personPerson: 1,
  personOrganization: 2,
  organizationPerson: 3,
  organizationCountry: 4,
  countryOrganization: 5,
} as const;

export interface PersonEntityRecord {
  localIndex: number;
  name: string;
  aliases: string[];
  titles: string[];
  organizations: string[];
  countryCode: string | null;
}

export interface OrganizationEntityRecord {
  localIndex: number;
  name: string;
  aliases: string[];
  kind: string;
  countryCode: string | null;
}

export interface MentionRecord {
  kind: MentionKind;
  /** Index into the cable's persons or organizations; null for a country. */
  local: number | null;
  countryCode: string | null;
  /** Paragraph position in the cable. */
  paragraph: number;
  start: number;
  end: number;
  surface: string;
  title: string | null;
}

export interface DateMentionRecord {
  paragraph: number;
  start: number;
  end: number;
  text: string;
  date: string;
}

export interface TopicRecord {
  code: string;
  name: string | null;
  kind: string;
  countryCode: string | null;
}

export interface CableGraphRecord {
  persons: PersonEntityRecord[];
  organizations: OrganizationEntityRecord[];
  mentions: MentionRecord[];
  dates: DateMentionRecord[];
  topics: TopicRecord[];
  /** Country code -> English short name, for every country the record names. */
  countryNames: Record<string, string>;
}

interface Touched {
  surnameKeys: Set<string>;
  /** Form keys whose organizations must be resolved again from all their records. */
  formKeys: Set<string>;
  /** Organization records just inserted: most join an existing organization directly. */
  newOrganizations: { id: number; formKeys: string[] }[];
  persons: Set<number>;
  organizations: Set<number>;
  countries: Set<number>;
  /** Cables written in this batch, whose edge evidence is added once, after resolution. */
  uncounted: Set<number>;
}

export function emptyTouched(): Touched {
  return {
    surnameKeys: new Set(),
    formKeys: new Set(),
    newOrganizations: [],
    persons: new Set(),
    organizations: new Set(),
    countries: new Set(),
    uncounted: new Set(),
  };
}

export function organizationFormKeys(countryCode: string | null, forms: string[]): string[] {
  const keys = new Set<string>();
  for (const form of forms) {
    const key = nameParts(form).full;
    if (key) keys.add(`${countryCode ?? ''}|${key}`);
  }
  return [...keys];
}

/** What the cables about to be rewritten contributed, so that their blocks are resolved again. */
export async function collectPrevious(trx: Transaction<Database>, cableIds: number[], touched: Touched): Promise<void> {
  if (cableIds.length === 0) return;
  const persons = await trx.selectFrom('cable_person').select(['surname_key', 'person_id']).where('cable_id', 'in', cableIds).execute();
  for (const row of persons) {
    touched.surnameKeys.add(row.surname_key);
    if (row.person_id !== null) touched.persons.add(row.person_id);
  }
  const organizations = await trx
    .selectFrom('cable_organization')
    .select(['form_keys', 'organization_id'])
    .where('cable_id', 'in', cableIds)
    .execute();
  for (const row of organizations) {
    for (const key of row.form_keys) touched.formKeys.add(key);
    if (row.organization_id !== null) touched.organizations.add(row.organization_id);
  }
  const countries = await trx
    .selectFrom('mention')
    .select('entity_id')
    .distinct()
    .where('cable_id', 'in', cableIds)
    .where('kind', '=', MENTION_KIND.country)
    .execute();
  for (const row of countries) if (row.entity_id !== null) touched.countries.add(row.entity_id);
  await withEdgeEvidence(trx, cableIds, () =>
    trx
      .deleteFrom('mention')
      .where('cable_id', 'in', cableIds)
      .execute()
      .then(() => undefined),
  );
  await trx.deleteFrom('date_mention').where('cable_id', 'in', cableIds).execute();
  await trx.deleteFrom('cable_topic').where('cable_id', 'in', cableIds).execute();
  await trx.deleteFrom('cable_person').where('cable_id', 'in', cableIds).execute();
  await trx.deleteFrom('cable_organization').where('cable_id', 'in', cableIds).execute();
}

async function ensureCountries(trx: Transaction<Database>, names: Map<string, string>): Promise<Map<string, number>> {
  if (names.size === 0) return new Map();
  const codes = [...names.keys()];
  await sql`
    insert into country (code, name)
    select * from unnest(${codes}::text[], ${codes.map((c) => names.get(c)!)}::text[])
    on conflict (code) do nothing
  `.execute(trx);
  const rows = await trx.selectFrom('country').select(['id', 'code']).where('code', 'in', codes).execute();
  return new Map(rows.map((row) => [row.code, row.id]));
}

async function ensureTopics(
  trx: Transaction<Database>,
  topics: Map<string, TopicRecord>,
  countryIds: Map<string, number>,
): Promise<Map<string, number>> {
  if (topics.size === 0) return new Map();
  const list = [...topics.values()];
  await sql`
    insert into topic (code, name, kind, country_id)
    select * from unnest(${list.map((t) => t.code)}::text[], ${list.map((t) => t.name)}::text[], ${list.map((t) => t.kind)}::text[],
                         ${list.map((t) => (t.countryCode ? (countryIds.get(t.countryCode) ?? null) : null))}::int[])
    on conflict (code) do nothing
  `.execute(trx);
  const rows = await trx
    .selectFrom('topic')
    .select(['id', 'code'])
    .where(
      'code',
      'in',
      list.map((t) => t.code),
    )
    .execute();
  return new Map(rows.map((row) => [row.code, row.id]));
}

/** Inserts the entity records of freshly written cables; adds what they touch to `touched`. */
export async function insertGraph(
  trx: Transaction<Database>,
  cables: { cableId: number; graph: CableGraphRecord }[],
  touched: Touched,
): Promise<void> {
  const countryNames = new Map<string, string>();
  const topics = new Map<string, TopicRecord>();
  for (const { graph } of cables) {
    for (const [code, name] of Object.entries(graph.countryNames)) countryNames.set(code, name);
    for (const topic of graph.topics) topics.set(topic.code, topic);
  }
  const countryIds = await ensureCountries(trx, countryNames);
  const topicIds = await ensureTopics(trx, topics, countryIds);

  const topicRows = { cable: [] as number[], topic: [] as number[], position: [] as number[] };
  const person = {
    cable: [] as number[],
    local: [] as number[],
    name: [] as string[],
    aliases: [] as string[],
    titles: [] as string[],
    organizations: [] as string[],
    country: [] as (number | null)[],
    nameKey: [] as string[],
    surnameKey: [] as string[],
  };
  const organization = {
    cable: [] as number[],
    local: [] as number[],
    name: [] as string[],
    aliases: [] as string[],
    kind: [] as string[],
    country: [] as (number | null)[],
    formKeys: [] as string[],
  };
  const dates = {
    cable: [] as number[],
    position: [] as number[],
    paragraph: [] as number[],
    start: [] as number[],
    end: [] as number[],
    text: [] as string[],
    date: [] as string[],
  };

  for (const { cableId, graph } of cables) {
    graph.topics.forEach((topic, position) => {
      const id = topicIds.get(topic.code);
      if (id === undefined || topicRows.topic.some((t, i) => t === id && topicRows.cable[i] === cableId)) return;
      topicRows.cable.push(cableId);
      topicRows.topic.push(id);
      topicRows.position.push(position);
    });
    for (const p of graph.persons) {
      const parts = nameParts(p.name);
      person.cable.push(cableId);
      person.local.push(p.localIndex);
      person.name.push(p.name);
      // Arrays of arrays do not survive unnest(): each list travels as a JSON text.
      person.aliases.push(JSON.stringify(p.aliases));
      person.titles.push(JSON.stringify(p.titles));
      person.organizations.push(JSON.stringify(p.organizations));
      person.country.push(p.countryCode ? (countryIds.get(p.countryCode) ?? null) : null);
      person.nameKey.push(parts.full);
      person.surnameKey.push(parts.surname);
      touched.surnameKeys.add(parts.surname);
    }
    for (const o of graph.organizations) {
      const formKeys = organizationFormKeys(o.countryCode, [o.name, ...o.aliases]);
      organization.cable.push(cableId);
      organization.local.push(o.localIndex);
      organization.name.push(o.name);
      organization.aliases.push(JSON.stringify(o.aliases));
      organization.kind.push(o.kind);
      organization.country.push(o.countryCode ? (countryIds.get(o.countryCode) ?? null) : null);
      organization.formKeys.push(JSON.stringify(formKeys));
    }
    graph.dates.forEach((d, position) => {
      dates.cable.push(cableId);
      dates.position.push(position);
      dates.paragraph.push(d.paragraph);
      dates.start.push(d.start);
      dates.end.push(d.end);
      dates.text.push(d.text);
      dates.date.push(d.date);
    });
  }

  if (topicRows.cable.length) {
    await sql`insert into cable_topic (cable_id, topic_id, position)
              select * from unnest(${topicRows.cable}::int[], ${topicRows.topic}::int[], ${topicRows.position}::smallint[])`.execute(trx);
  }
  const personIds = new Map<string, number>();
  if (person.cable.length) {
    const rows = await sql<{ id: number; cable_id: number; local_index: number }>`
      insert into cable_person (cable_id, local_index, name, aliases, titles, organizations, country_id, name_key, surname_key)
      select c, l, n, array(select jsonb_array_elements_text(a::jsonb)), array(select jsonb_array_elements_text(t::jsonb)),
             array(select jsonb_array_elements_text(o::jsonb)), co, nk, sk
      from unnest(${person.cable}::int[], ${person.local}::smallint[], ${person.name}::text[], ${person.aliases}::text[],
                  ${person.titles}::text[], ${person.organizations}::text[], ${person.country}::int[], ${person.nameKey}::text[],
                  ${person.surnameKey}::text[]) as u(c, l, n, a, t, o, co, nk, sk)
      returning id, cable_id, local_index
    `.execute(trx);
    for (const row of rows.rows) personIds.set(`${row.cable_id}:${row.local_index}`, row.id);
  }
  const organizationIds = new Map<string, number>();
  if (organization.cable.length) {
    const rows = await sql<{ id: number; cable_id: number; local_index: number; form_keys: string[] }>`
      insert into cable_organization (cable_id, local_index, name, aliases, kind, country_id, form_keys)
      select c, l, n, array(select jsonb_array_elements_text(a::jsonb)), k, co, array(select jsonb_array_elements_text(f::jsonb))
      from unnest(${organization.cable}::int[], ${organization.local}::smallint[], ${organization.name}::text[], ${organization.aliases}::text[],
                  ${organization.kind}::text[], ${organization.country}::int[], ${organization.formKeys}::text[]) as u(c, l, n, a, k, co, f)
      returning id, cable_id, local_index, form_keys
    `.execute(trx);
    for (const row of rows.rows) {
      organizationIds.set(`${row.cable_id}:${row.local_index}`, row.id);
      touched.newOrganizations.push({ id: row.id, formKeys: row.form_keys });
    }
  }

  const mention = {
    cable: [] as number[],
    paragraph: [] as number[],
    kind: [] as number[],
    local: [] as number[],
    entity: [] as (number | null)[],
    start: [] as number[],
    end: [] as number[],
    surface: [] as string[],
    title: [] as (string | null)[],
  };
  for (const { cableId, graph } of cables) {
    for (const m of graph.mentions) {
      let local: number | undefined;
      let entity: number | null = null;
      if (m.kind === 'country') {
        local = m.countryCode ? countryIds.get(m.countryCode) : undefined;
        entity = local ?? null;
        if (local !== undefined) touched.countries.add(local);
      } else if (m.kind === 'person') local = personIds.get(`${cableId}:${m.local}`);
      else local = organizationIds.get(`${cableId}:${m.local}`);
      if (local === undefined) continue;
      mention.cable.push(cableId);
      mention.paragraph.push(m.paragraph);
      mention.kind.push(MENTION_KIND[m.kind]);
      mention.local.push(local);
      mention.entity.push(entity);
      mention.start.push(m.start);
      mention.end.push(m.end);
      mention.surface.push(m.surface);
      mention.title.push(m.title);
    }
  }
  if (mention.cable.length) {
    await sql`
      insert into mention (cable_id, paragraph, kind, local_id, entity_id, span_start, span_end, surface, title)
      select * from unnest(${mention.cable}::int[], ${mention.paragraph}::smallint[], ${mention.kind}::smallint[], ${mention.local}::int[],
                           ${mention.entity}::int[], ${mention.start}::int[], ${mention.end}::int[], ${mention.surface}::text[], ${mention.title}::text[])
    `.execute(trx);
  }
  for (const { cableId } of cables) touched.uncounted.add(cableId);
  if (dates.cable.length) {
    await sql`
      insert into date_mention (cable_id, position, paragraph, span_start, span_end, text, date)
      select * from unnest(${dates.cable}::int[], ${dates.position}::smallint[], ${dates.paragraph}::smallint[], ${dates.start}::int[],
                           ${dates.end}::int[], ${dates.text}::text[], ${dates.date}::text[])
    `.execute(trx);
  }
}

/** Counted cables some of whose mentions of `kind` are about to point at another entity. */
async function cablesWhoseEntitiesChange(
  trx: Transaction<Database>,
  touched: Touched,
  kind: number,
  locals: number[],
  entities: number[],
): Promise<number[]> {
  const result = await sql<{ cable_id: number }>`
    select distinct mention.cable_id from mention
    join unnest(${locals}::int[], ${entities}::int[]) as u(local_id, entity_id) on mention.local_id = u.local_id
    where mention.kind = ${kind} and mention.entity_id is distinct from u.entity_id
  `.execute(trx);
  return result.rows.map((row) => row.cable_id).filter((id) => !touched.uncounted.has(id));
}

/** Adds the edge evidence of the batch's own cables, once their entities are resolved. */
export async function countNewCables(trx: Transaction<Database>, touched: Touched): Promise<void> {
  const delta: EdgeDelta = new Map();
  await collectEvidence(trx, [...touched.uncounted], 1, delta);
  await writeEvidence(trx, delta);
  touched.uncounted.clear();
}

/** Surname keys tied to `keys` by merge or split judgments (a merge may join two surnames). */
function judgmentClosure(keys: Set<string>, judgments: Judgment[]): Set<string> {
  const closed = new Set(keys);
  let grew = true;
  while (grew) {
    grew = false;
    for (const judgment of judgments) {
      const surnames = judgment.members.map((identity) => nameParts(identity.slice(identity.indexOf('|') + 1)).surname);
      if (surnames.some((s) => closed.has(s)) && surnames.some((s) => !closed.has(s))) {
        for (const s of surnames) closed.add(s);
        grew = true;
      }
    }
  }
  return closed;
}

export async function loadJudgments(trx: Transaction<Database>): Promise<Judgment[]> {
  const rows = await trx.selectFrom('judgment').select(['id', 'kind', 'members']).orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, kind: row.kind as Judgment['kind'], members: row.members }));
}

/** Resolves the surname blocks in `touched` again and writes persons, links and candidates. */
export async function resolvePersons(trx: Transaction<Database>, touched: Touched): Promise<void> {
  if (touched.surnameKeys.size === 0) return;
  const judgments = await loadJudgments(trx);
  const surnameKeys = [...judgmentClosure(touched.surnameKeys, judgments)];
  const rows = await trx
    .selectFrom('cable_person')
    .innerJoin('cable', 'cable.id', 'cable_person.cable_id')
    .leftJoin('country', 'country.id', 'cable_person.country_id')
    .select([
      'cable_person.id',
      'cable_person.name',
      'cable_person.aliases',
      'cable_person.titles',
      'cable_person.name_key',
      'cable_person.person_id',
      'cable.ref',
      'cable.date',
      'country.code as country_code',
    ])
    .where('cable_person.surname_key', 'in', surnameKeys)
    .execute();
  const records: PersonRecord[] = rows.map((row) => ({
    id: row.id,
    identity: `${row.ref}|${row.name_key}`,
    cableRef: row.ref,
    date: row.date,
    name: row.name,
    aliases: row.aliases,
    titles: row.titles,
    countryCode: row.country_code,
  }));
  for (const row of rows) if (row.person_id !== null) touched.persons.add(row.person_id);
  const clusters = clusterPersons(records, judgments);

  const previous = await trx.selectFrom('person').select(['id', 'key']).where('surname_key', 'in', surnameKeys).execute();
  for (const row of previous) touched.persons.add(row.id);

  const countryCodes = [...new Set(clusters.map((c) => c.countryCode).filter((c): c is string => Boolean(c)))];
  const countryRows = countryCodes.length
    ? await trx.selectFrom('country').select(['id', 'code']).where('code', 'in', countryCodes).execute()
    : [];
  const countryIds = new Map(countryRows.map((r) => [r.code, r.id]));

  const idByKey = new Map<string, number>();
  if (clusters.length) {
    const written = await sql<{ id: number; key: string }>`
      insert into person (key, name, aliases, country_id, surname_key)
      select k, n, array(select jsonb_array_elements_text(a::jsonb)), c, s
      from unnest(${clusters.map((c) => c.key)}::text[], ${clusters.map((c) => c.name)}::text[],
                  ${clusters.map((c) => JSON.stringify(c.aliases))}::text[],
                  ${clusters.map((c) => (c.countryCode ? (countryIds.get(c.countryCode) ?? null) : null))}::int[],
                  ${clusters.map((c) => c.surnameKey)}::text[]) as u(k, n, a, c, s)
      on conflict (key) do update set name = excluded.name, aliases = excluded.aliases, country_id = excluded.country_id, surname_key = excluded.surname_key
      returning id, key
    `.execute(trx);
    for (const row of written.rows) {
      idByKey.set(row.key, row.id);
      touched.persons.add(row.id);
    }
  }
  const stale = previous.filter((row) => !idByKey.has(row.key)).map((row) => row.id);
  if (stale.length) await trx.deleteFrom('person').where('id', 'in', stale).execute();

  const members = { cablePerson: [] as number[], person: [] as number[] };
  for (const cluster of clusters) {
    const personId = idByKey.get(cluster.key)!;
    for (const member of cluster.members) {
      members.cablePerson.push(member.id);
      members.person.push(personId);
    }
  }
  if (members.cablePerson.length) {
    const changing = await cablesWhoseEntitiesChange(trx, touched, MENTION_KIND.person, members.cablePerson, members.person);
    await withEdgeEvidence(trx, changing, async () => {
      await sql`
      update cable_person set person_id = u.p
      from unnest(${members.cablePerson}::int[], ${members.person}::int[]) as u(cp, p)
      where cable_person.id = u.cp and cable_person.person_id is distinct from u.p
    `.execute(trx);
      await sql`
      update mention set entity_id = u.p
      from unnest(${members.cablePerson}::int[], ${members.person}::int[]) as u(cp, p)
      where mention.kind = ${MENTION_KIND.person} and mention.local_id = u.cp and mention.entity_id is distinct from u.p
    `.execute(trx);
    });
  }
  const blockIds = [...idByKey.values()];
  if (blockIds.length) await trx.deleteFrom('person_candidate').where('person_id', 'in', blockIds).execute();
  const candidates = { person: [] as number[], candidate: [] as number[], score: [] as number[], reason: [] as string[] };
  for (const cluster of clusters) {
    for (const candidate of cluster.candidates) {
      const candidateId = idByKey.get(candidate.key);
      if (candidateId === undefined) continue;
      candidates.person.push(idByKey.get(cluster.key)!);
      candidates.candidate.push(candidateId);
      candidates.score.push(candidate.score);
      candidates.reason.push(candidate.reason);
    }
  }
  if (candidates.person.length) {
    await sql`
      insert into person_candidate (person_id, candidate_id, score, reason)
      select * from unnest(${candidates.person}::int[], ${candidates.candidate}::int[], ${candidates.score}::real[], ${candidates.reason}::text[])
      on conflict do nothing
    `.execute(trx);
  }
}

/** Points mentions of cable organizations at organizations, keeping the edge evidence exact. */
async function linkOrganizations(trx: Transaction<Database>, touched: Touched, locals: number[], organizations: number[]): Promise<void> {
  if (locals.length === 0) return;
  const changing = await cablesWhoseEntitiesChange(trx, touched, MENTION_KIND.organization, locals, organizations);
  await withEdgeEvidence(trx, changing, async () => {
    await sql`
    update cable_organization set organization_id = u.o
    from unnest(${locals}::int[], ${organizations}::int[]) as u(co, o)
    where cable_organization.id = u.co and cable_organization.organization_id is distinct from u.o
  `.execute(trx);
    await sql`
    update mention set entity_id = u.o
    from unnest(${locals}::int[], ${organizations}::int[]) as u(co, o)
    where mention.kind = ${MENTION_KIND.organization} and mention.local_id = u.co and mention.entity_id is distinct from u.o
  `.execute(trx);
  });
}

/**
 * Resolves organizations: a new record whose forms all belong to one organization already joins
 * it (the components stay what a full resolution would make them); the others, and the forms of
 * rewritten cables, are resolved again from every record that shares a form with them.
 */
export async function resolveOrganizations(trx: Transaction<Database>, touched: Touched): Promise<void> {
  if (touched.newOrganizations.length) {
    const keys = [...new Set(touched.newOrganizations.flatMap((o) => o.formKeys))];
    const known = await trx
      .selectFrom('organization')
      .select(['id', 'form_keys'])
      .where(sql<boolean>`form_keys && ${keys}::text[]`)
      .execute();
    const ownerOfKey = new Map<string, { id: number; keys: Set<string> }>();
    for (const org of known) {
      const entry = { id: org.id, keys: new Set(org.form_keys) };
      for (const key of org.form_keys) ownerOfKey.set(key, entry);
    }
    const direct = { local: [] as number[], organization: [] as number[] };
    for (const record of touched.newOrganizations) {
      const owners = new Set(record.formKeys.map((key) => ownerOfKey.get(key)));
      const [owner] = owners;
      if (owners.size === 1 && owner) {
        direct.local.push(record.id);
        direct.organization.push(owner.id);
        touched.organizations.add(owner.id);
      } else {
        for (const key of record.formKeys) touched.formKeys.add(key);
      }
    }
    await linkOrganizations(trx, touched, direct.local, direct.organization);
  }
  if (touched.formKeys.size === 0) return;
  // The connected group of cable organizations that share a form with the batch's, grown until
  // it is closed, so that "PCO" in one cable and "Privy Council Office (PCO)" in another meet.
  const keys = new Set(touched.formKeys);
  let rows: {
    id: number;
    name: string;
    aliases: string[];
    kind: string;
    form_keys: string[];
    organization_id: number | null;
    country_code: string | null;
  }[] = [];
  for (let round = 0; round < 8; round++) {
    rows = await trx
      .selectFrom('cable_organization')
      .leftJoin('country', 'country.id', 'cable_organization.country_id')
      .select([
        'cable_organization.id',
        'cable_organization.name',
        'cable_organization.aliases',
        'cable_organization.kind',
        'cable_organization.form_keys',
        'cable_organization.organization_id',
        'country.code as country_code',
      ])
      .where(sql<boolean>`cable_organization.form_keys && ${[...keys]}::text[]`)
      .execute();
    const before = keys.size;
    for (const row of rows) for (const key of row.form_keys) keys.add(key);
    if (keys.size === before) break;
  }
  for (const row of rows) if (row.organization_id !== null) touched.organizations.add(row.organization_id);
  const records: OrganizationRecord[] = rows.map((row) => ({
    id: row.id,
    name: row.name,
    aliases: row.aliases,
    kind: row.kind,
    countryCode: row.country_code,
    formKeys: row.form_keys,
  }));
  const clusters = clusterOrganizations(records);
  const previousIds = [...new Set(rows.map((r) => r.organization_id).filter((id): id is number => id !== null))];
  const previous = previousIds.length
    ? await trx.selectFrom('organization').select(['id', 'key']).where('id', 'in', previousIds).execute()
    : [];
  const countryCodes = [...new Set(clusters.map((c) => c.countryCode).filter((c): c is string => Boolean(c)))];
  const countryRows = countryCodes.length
    ? await trx.selectFrom('country').select(['id', 'code']).where('code', 'in', countryCodes).execute()
    : [];
  const countryIds = new Map(countryRows.map((r) => [r.code, r.id]));
  const idByKey = new Map<string, number>();
  if (clusters.length) {
    const written = await sql<{ id: number; key: string }>`
      insert into organization (key, name, aliases, kind, country_id, form_keys)
      select k, n, array(select jsonb_array_elements_text(a::jsonb)), kd, c, array(select jsonb_array_elements_text(f::jsonb))
      from unnest(${clusters.map((c) => c.key)}::text[], ${clusters.map((c) => c.name)}::text[], ${clusters.map((c) => JSON.stringify(c.aliases))}::text[],
                  ${clusters.map((c) => c.kind)}::text[], ${clusters.map((c) => (c.countryCode ? (countryIds.get(c.countryCode) ?? null) : null))}::int[],
                  ${clusters.map((c) => JSON.stringify(c.formKeys))}::text[]) as u(k, n, a, kd, c, f)
      on conflict (key) do update set name = excluded.name, aliases = excluded.aliases, kind = excluded.kind, country_id = excluded.country_id,
                                      form_keys = excluded.form_keys
      returning id, key
    `.execute(trx);
    for (const row of written.rows) {
      idByKey.set(row.key, row.id);
      touched.organizations.add(row.id);
    }
  }
  const stale = previous.filter((row) => !idByKey.has(row.key)).map((row) => row.id);
  const members = { local: [] as number[], organization: [] as number[] };
  for (const cluster of clusters)
    for (const member of cluster.members) {
      members.local.push(member);
      members.organization.push(idByKey.get(cluster.key)!);
    }
  await linkOrganizations(trx, touched, members.local, members.organization);
  if (stale.length) {
    const stillUsed = await trx.selectFrom('cable_organization').select('organization_id').where('organization_id', 'in', stale).execute();
    const used = new Set(stillUsed.map((r) => r.organization_id));
    const unused = stale.filter((id) => !used.has(id));
    if (unused.length) await trx.deleteFrom('organization').where('id', 'in', unused).execute();
  }
}

/**
 * Adds (sign 1) or removes (sign -1) the co-mention evidence of some cables to the edge table.
 * The table is the sum over all cables of each cable's own pairs, so any change to a cable's
 * mentions is kept exact by removing its evidence before the change and adding it after.
 */
type EdgeDelta = Map<string, { paragraphs: number; cables: number }>;

const PAIR_KINDS: [number, number, number, number][] = [
  [MENTION_KIND.person, MENTION_KIND.person, EDGE_KIND.personPerson, 0],
  [MENTION_KIND.person, MENTION_KIND.organization, EDGE_KIND.personOrganization, EDGE_KIND.organizationPerson],
  [MENTION_KIND.organization, MENTION_KIND.country, EDGE_KIND.organizationCountry, EDGE_KIND.countryOrganization],
];

/** Accumulates `sign` times the co-mention evidence of some cables, as they stand now, into `delta`. */
async function collectEvidence(trx: Transaction<Database>, cableIds: number[], sign: 1 | -1, delta: EdgeDelta): Promise<void> {
  if (cableIds.length === 0) return;
  const rows = await trx
    .selectFrom('mention')
    .select(['cable_id', 'kind', 'entity_id', 'paragraph'])
    .where('cable_id', 'in', cableIds)
    .where('entity_id', 'is not', null)
    .execute();
  // Pairs are counted per cable in memory: a cable holds a few dozen entities, so this is cheap,
  // and the database sees one plain upsert of the net change.
  const byCable = new Map<number, Map<string, { kind: number; id: number; paragraphs: Set<number> }>>();
  for (const row of rows) {
    let entities = byCable.get(row.cable_id);
    if (!entities) byCable.set(row.cable_id, (entities = new Map()));
    const key = `${row.kind}:${row.entity_id}`;
    let entity = entities.get(key);
    if (!entity) entities.set(key, (entity = { kind: row.kind, id: row.entity_id!, paragraphs: new Set() }));
    entity.paragraphs.add(row.paragraph);
  }
  const add = (kind: number, source: number, target: number, paragraphs: number) => {
    const key = `${kind}:${source}:${target}`;
    const entry = delta.get(key);
    if (entry) {
      entry.paragraphs += sign * paragraphs;
      entry.cables += sign;
    } else delta.set(key, { paragraphs: sign * paragraphs, cables: sign });
  };
  for (const entities of byCable.values()) {
    const list = [...entities.values()];
    for (const a of list) {
      for (const b of list) {
        for (const [kindA, kindB, forward, backward] of PAIR_KINDS) {
          if (a.kind !== kindA || b.kind !== kindB || (kindA === kindB && a.id === b.id)) continue;
          let shared = 0;
          for (const paragraph of a.paragraphs) if (b.paragraphs.has(paragraph)) shared++;
          add(forward, a.id, b.id, shared);
          if (backward) add(backward, b.id, a.id, shared);
        }
      }
    }
  }
}

/** Writes the net change of evidence: one upsert, then removal of edges left with no cable. */
async function writeEvidence(trx: Transaction<Database>, delta: EdgeDelta): Promise<void> {
  const columns = {
    kind: [] as number[],
    source: [] as number[],
    target: [] as number[],
    paragraphs: [] as number[],
    cables: [] as number[],
  };
  let removals = false;
  for (const [key, value] of delta) {
    if (value.cables === 0 && value.paragraphs === 0) continue;
    const [kind, source, target] = key.split(':').map(Number) as [number, number, number];
    columns.kind.push(kind);
    columns.source.push(source);
    columns.target.push(target);
    columns.paragraphs.push(value.paragraphs);
    columns.cables.push(value.cables);
    if (value.cables < 0) removals = true;
  }
  if (columns.kind.length === 0) return;
  await sql`
    insert into edge (kind, source_id, target_id, paragraphs, cables)
    select * from unnest(${columns.kind}::smallint[], ${columns.source}::int[], ${columns.target}::int[], ${columns.paragraphs}::int[], ${columns.cables}::int[])
    on conflict (kind, source_id, target_id)
    do update set paragraphs = edge.paragraphs + excluded.paragraphs, cables = edge.cables + excluded.cables
  `.execute(trx);
  if (removals) {
    await sql`
      delete from edge using unnest(${columns.kind}::smallint[], ${columns.source}::int[], ${columns.target}::int[], ${columns.cables}::int[]) as u(kind, source_id, target_id, change)
      where u.change < 0 and edge.kind = u.kind and edge.source_id = u.source_id and edge.target_id = u.target_id and edge.cables <= 0
    `.execute(trx);
  }
}

/**
 * Keeps the edge table exact across a change to the mentions of some cables: the table is the
 * sum over all cables of each cable's own pairs, so their evidence is taken out as it stands
 * before `change` and put back as it stands after, and only the difference is written.
 */
async function withEdgeEvidence(trx: Transaction<Database>, cableIds: number[], change: () => Promise<void>): Promise<void> {
  const delta: EdgeDelta = new Map();
  await collectEvidence(trx, cableIds, -1, delta);
  await change();
  await collectEvidence(trx, cableIds, 1, delta);
  await writeEvidence(trx, delta);
}

/** Cable and mention counts and date spans of every entity whose evidence the batch changed. */
export async function refreshCounts(trx: Transaction<Database>, touched: Touched): Promise<void> {
  const persons = [...touched.persons];
  const organizations = [...touched.organizations];
  if (persons.length) {
    await sql`
      update person set cable_count = coalesce(s.cables, 0), mention_count = coalesce(m.mentions, 0), first_date = s.first, last_date = s.last
      from unnest(${persons}::int[]) as u(id)
      left join (select cp.person_id, count(distinct cp.cable_id)::int as cables, min(c.date) as first, max(c.date) as last
                 from cable_person cp join cable c on c.id = cp.cable_id where cp.person_id = any(${persons}::int[]) group by 1) s on s.person_id = u.id
      left join (select entity_id, count(*)::int as mentions from mention where kind = ${MENTION_KIND.person} and entity_id = any(${persons}::int[]) group by 1) m
             on m.entity_id = u.id
      where person.id = u.id
    `.execute(trx);
  }
  if (organizations.length) {
    await sql`
      update organization set cable_count = coalesce(s.cables, 0), mention_count = coalesce(m.mentions, 0)
      from unnest(${organizations}::int[]) as u(id)
      left join (select organization_id, count(distinct cable_id)::int as cables from cable_organization
                 where organization_id = any(${organizations}::int[]) group by 1) s on s.organization_id = u.id
      left join (select entity_id, count(*)::int as mentions from mention where kind = ${MENTION_KIND.organization} and entity_id = any(${organizations}::int[]) group by 1) m
             on m.entity_id = u.id
      where organization.id = u.id
    `.execute(trx);
  }
}
