// Small made-up cables whose co-mention graph is known by construction, written through the
// ordinary write path (entity resolution, mentions, edges). Each cable is a list of paragraphs,
// each paragraph a list of the entities it names: "Alice Archer" a person, "org:Ministry of
// Finance" an organization, "country:CA" a country.
import type { Kysely } from 'kysely';

import type { Database } from '../../src/db/schema.ts';
import type { CableRecord } from '../../src/db/write-cables.ts';
import type { CableGraphRecord, MentionRecord } from '../../src/db/write-graph.ts';

const COUNTRY_NAMES: Record<string, string> = { CA: 'Canada', MX: 'Mexico' };

export function fixtureCable(ref: string, date: string, paragraphs: string[][]): CableRecord {
  const persons: CableGraphRecord['persons'] = [];
  const organizations: CableGraphRecord['organizations'] = [];
  const mentions: MentionRecord[] = [];
  const countryNames: Record<string, string> = {};
  const paragraphRecords: CableRecord['paragraphs'] = [];
  let body = '';
  paragraphs.forEach((names, position) => {
    const start = body.length;
    let text = `${position}. `;
    for (const name of names) {
      const [prefix, rest] = name.includes(':') ? (name.split(':') as [string, string]) : ['person', name];
      const surface = prefix === 'country' ? COUNTRY_NAMES[rest]! : rest;
      if (text.length > `${position}. `.length) text += ' met ';
      const mentionStart = start + text.length;
      text += surface;
      const span = { paragraph: position, start: mentionStart, end: mentionStart + surface.length, surface, title: null };
      if (prefix === 'person') {
        let local = persons.findIndex((p) => p.name === rest);
        if (local < 0) {
          local = persons.length;
          persons.push({ localIndex: local, name: rest, aliases: [], titles: [], organizations: [], countryCode: 'CA' });
        }
        mentions.push({ kind: 'person', local, countryCode: null, ...span });
      } else if (prefix === 'org') {
        let local = organizations.findIndex((o) => o.name === rest);
        if (local < 0) {
          local = organizations.length;
          organizations.push({ localIndex: local, name: rest, aliases: [], kind: 'ministry', countryCode: 'CA' });
        }
        mentions.push({ kind: 'organization', local, countryCode: null, ...span });
      } else {
        countryNames[rest] = COUNTRY_NAMES[rest]!;
        mentions.push({ kind: 'country', local: null, countryCode: rest, ...span });
      }
    }
    text += '.';
    body += text + '\n\n';
    paragraphRecords.push({ position, number: position, marking: 'C', text, start, end: start + text.length });
  });
  // Organizations carry the country they belong to.
  countryNames.CA = COUNTRY_NAMES.CA!;
  return {
    ref,
    date,
    classification: 'CONFIDENTIAL',
    caveats: [],
    origin: 'Embassy Testville',
    subject: `Fixture ${ref}`,
    tags: ['PREL'],
    declassifyOn: null,
    classifiedBy: null,
    signers: [],
    recipients: [],
    infoRecipients: [],
    summary: null,
    header: null,
    body,
    source: 'fixture',
    sourceFormat: 'text',
    contentHash: `hash-${ref}-${JSON.stringify(paragraphs)}`,
    extractorVersion: 1,
    paragraphs: paragraphRecords,
    references: [],
    graph: { persons, organizations, mentions, dates: [], topics: [], countryNames },
  };
}

/**
 * A and B share two cables (a paragraph in each), B and C one cable but no paragraph, C and D a
 * paragraph, D and E a paragraph; A and C never meet, but A reaches C through B or through H; F
 * and G only know each other. B and the Ministry of Finance share a paragraph where Canada is
 * named too, and Mexico's Ministry of Trade only meets Mexico.
 */
export const FIXTURE_CABLES: CableRecord[] = [
  fixtureCable('08TESTVILLE1', '2008-01-10', [
    [],
    ['Alice Archer', 'Bob Brennan'],
    ['Bob Brennan', 'org:Ministry of Finance', 'country:CA'],
  ]),
  fixtureCable('08TESTVILLE2', '2008-02-11', [[], ['Bob Brennan'], ['Carol Castillo']]),
  fixtureCable('09TESTVILLE9', '2009-09-18', [[], ['Carol Castillo', 'Dan Dorsey']]),
  fixtureCable('08TESTVILLE3', '2008-03-12', [[], ['Bob Brennan', 'Alice Archer'], ['Alice Archer']]),
  fixtureCable('09TESTVILLE4', '2009-04-13', [[], ['Dan Dorsey', 'Eve Ellison']]),
  fixtureCable('09TESTVILLE5', '2009-05-14', [[], ['Frank Fuller', 'Gina Gomez']]),
  fixtureCable('09TESTVILLE6', '2009-06-15', [[], ['Alice Archer', 'Hugo Hayes']]),
  fixtureCable('09TESTVILLE7', '2009-07-16', [[], ['Hugo Hayes', 'Carol Castillo'], ['Ivan Ibarra']]),
  fixtureCable('09TESTVILLE8', '2009-08-17', [[], ['org:Ministry of Trade', 'country:MX']]),
];

export interface TruthEdge {
  kind: number;
  source: { kind: number; id: number };
  target: { kind: number; id: number };
  paragraphs: number;
  cables: number;
}

/**
 * Co-mention edges counted in plain code from the mention table (of some cables, or all): the
 * ground truth the graph reads are checked against. Person pairs once (smaller id first), person
 * -> organization, organization -> country.
 */
export async function coMentionTruth(db: Kysely<Database>, cableIds?: number[]): Promise<TruthEdge[]> {
  let query = db.selectFrom('mention').select(['cable_id', 'kind', 'entity_id', 'paragraph']).where('entity_id', 'is not', null);
  if (cableIds) query = query.where('cable_id', 'in', cableIds.length ? cableIds : [-1]);
  const rows = await query.execute();
  const byCable = new Map<number, Map<string, { kind: number; id: number; paragraphs: Set<number> }>>();
  for (const row of rows) {
    const entities = byCable.get(row.cable_id) ?? new Map();
    byCable.set(row.cable_id, entities);
    const key = `${row.kind}:${row.entity_id}`;
    const entity = entities.get(key) ?? { kind: row.kind, id: row.entity_id!, paragraphs: new Set<number>() };
    entities.set(key, entity);
    entity.paragraphs.add(row.paragraph);
  }
  const edges = new Map<string, TruthEdge>();
  const pairKinds: Record<string, number> = { '1:1': 1, '1:2': 2, '2:3': 3 };
  for (const entities of byCable.values()) {
    for (const a of entities.values()) {
      for (const b of entities.values()) {
        const kind = pairKinds[`${a.kind}:${b.kind}`];
        if (kind === undefined || (kind === 1 && a.id >= b.id)) continue;
        const key = `${kind}:${a.id}:${b.id}`;
        const edge = edges.get(key) ?? {
          kind,
          source: { kind: a.kind, id: a.id },
          target: { kind: b.kind, id: b.id },
          paragraphs: 0,
          cables: 0,
        };
        edges.set(key, edge);
        edge.cables += 1;
        edge.paragraphs += [...a.paragraphs].filter((p) => b.paragraphs.has(p)).length;
      }
    }
  }
  return [...edges.values()];
}

/** Strongest first, as every graph read orders: paragraphs, then cables. */
export function byStrength(a: { paragraphs: number; cables: number }, b: { paragraphs: number; cables: number }): number {
  return b.paragraphs - a.paragraphs || b.cables - a.cables;
}
