// Invented cables for the finding and dashboard tests, written as a cables.csv file: a seeded
// generator (same cables on every run) mixing dates, posts, classifications, TAGS, persons with
// titles, organizations and countries, plus a few hand-written cables whose paragraphs the search
// tests rely on. None of this text comes from the corpus.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const POSTS = [
  { origin: 'Embassy Ottawa', station: 'OTTAWA', route: 'AMEMBASSY OTTAWA' },
  { origin: 'Embassy Paris', station: 'PARIS', route: 'AMEMBASSY PARIS' },
  { origin: 'Embassy Madrid', station: 'MADRID', route: 'AMEMBASSY MADRID' },
  { origin: 'Secretary of State', station: 'STATE', route: 'SECSTATE WASHDC' },
];
const CLASSIFICATIONS = ['CONFIDENTIAL', 'SECRET', 'UNCLASSIFIED'];
const SUBJECT_TAGS = ['PREL', 'PGOV', 'ETRD', 'MARR', 'PARM'];
const GEOGRAPHIC_TAGS = ['CA', 'FR', 'SP', 'IR'];
const PERSONS = [
  'Foreign Minister Pierre Lavoie',
  'Prime Minister Anna Bergstrom',
  'Defense Minister Tomas Ridley',
  'Ambassador Carla Menendez',
  'Trade Minister Olivier Dufresne',
];
const ORGANIZATIONS = ['NATO', 'the European Union', 'the United Nations', 'the World Trade Organization'];
const COUNTRIES = ['Canada', 'France', 'Spain', 'Iran', 'Germany', 'Japan'];
const FILLER = [
  'The discussion covered the schedule of the next ministerial meeting.',
  'Officials noted that budget pressures would limit new commitments this year.',
  'Both sides agreed to keep working-level contacts going over the summer.',
  'Embassy contacts expect the issue to come up again before the autumn session.',
];

/** A small deterministic generator (mulberry32), so that every run sees the same cables. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FixtureCable {
  ref: string;
  /** YYYY-MM-DD, or null for a cable the CSV gives no date. */
  date: string | null;
  origin: string;
  route: string;
  station: string;
  classification: string;
  tags: string[];
  subject: string;
  paragraphs: string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function generated(count: number): FixtureCable[] {
  const next = random(20240611);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const cables: FixtureCable[] = [];
  for (let index = 0; index < count; index++) {
    const post = pick(POSTS);
    // A few cables share days and months, so that ties and buckets with several cables occur.
    const year = 2006 + Math.floor(next() * 4);
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * 4) * 7;
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const tags = [...new Set([pick(SUBJECT_TAGS), pick(SUBJECT_TAGS), ...(next() < 0.7 ? [pick(GEOGRAPHIC_TAGS)] : [])])];
    const paragraphs: string[] = [];
    const paragraphCount = 2 + Math.floor(next() * 3);
    for (let p = 0; p < paragraphCount; p++) {
      const sentences = [pick(FILLER)];
      if (next() < 0.7)
        sentences.push(`${pick(PERSONS)} met the Ambassador on ${MONTHS[month - 1]} ${day} to discuss relations with ${pick(COUNTRIES)}.`);
      if (next() < 0.5) sentences.push(`He said that ${pick(ORGANIZATIONS)} should take up the question of ${pick(COUNTRIES)} soon.`);
      if (next() < 0.3) sentences.push(`${pick(PERSONS)} added that ${pick(COUNTRIES)} would follow the lead of ${pick(ORGANIZATIONS)}.`);
      paragraphs.push(sentences.join(' '));
    }
    cables.push({
      ref: `${String(year).slice(2)}${post.station}${100 + index}`,
      date,
      origin: post.origin,
      route: post.route,
      station: post.station,
      classification: pick(CLASSIFICATIONS),
      tags,
      subject: `REVIEW OF BILATERAL ISSUES NUMBER ${index + 1}`,
      paragraphs,
    });
  }
  return cables;
}

/**
 * Hand-written cables for search: one paragraph uses both words of "centrifuge cascade" several
 * times, one uses each once far apart, one uses only "centrifuge"; one undated cable.
 */
const WRITTEN: FixtureCable[] = [
  {
    ref: '08VIENNA901',
    date: '2008-04-14',
    origin: 'Mission Vienna',
    route: 'USMISSION UNVIE VIENNA',
    station: 'VIENNA',
    classification: 'CONFIDENTIAL',
    tags: ['PARM', 'IR'],
    subject: 'INSPECTORS REPORT ON ENRICHMENT HALL',
    paragraphs: [
      'Inspectors reported that a new centrifuge cascade was running in the enrichment hall, and that a second centrifuge cascade was being assembled next to it. The centrifuge cascade layout matched the declared design.',
      'The inspectors also visited the administrative building, where staff described their working hours.',
    ],
  },
  {
    ref: '08VIENNA902',
    date: '2008-05-19',
    origin: 'Mission Vienna',
    route: 'USMISSION UNVIE VIENNA',
    station: 'VIENNA',
    classification: 'CONFIDENTIAL',
    tags: ['PARM'],
    subject: 'FOLLOW-UP ON INSPECTION SCHEDULE',
    paragraphs: [
      'The agency will send a centrifuge specialist in June. Separately, the operators described maintenance of pumps, valves, power supplies, cooling lines and control rooms, and the hall where the cascade stands was repainted.',
      'A centrifuge component shipment was also mentioned without further detail.',
    ],
  },
  {
    ref: '07OTTAWA950',
    date: null,
    origin: 'Embassy Ottawa',
    route: 'AMEMBASSY OTTAWA',
    station: 'OTTAWA',
    classification: 'UNCLASSIFIED',
    tags: ['PGOV', 'CA'],
    subject: 'UNDATED NOTE ON PROVINCIAL ELECTIONS',
    paragraphs: ['Provincial elections in the spring will test the governing party in three provinces.'],
  },
];

const MARKING: Record<string, string> = { CONFIDENTIAL: 'C', SECRET: 'S', UNCLASSIFIED: 'U' };

function csvField(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function csvRecord(cable: FixtureCable, row: number): string {
  const marking = MARKING[cable.classification] ?? 'U';
  const spaced = cable.classification.split('').join(' ');
  const serial = cable.ref.replace(/^\d{2}[A-Z]+/, '').padStart(6, '0');
  const body = [
    `${spaced} ${cable.station} ${serial}`,
    '',
    // No DECL line on an undated cable: the reader would derive a date from it.
    ...(cable.date ? [`E.O. 12958: DECL: ${cable.date.slice(5, 7)}/${cable.date.slice(8)}/${Number(cable.date.slice(0, 4)) + 10}`] : []),
    `TAGS: ${cable.tags.join(' ')}`,
    `SUBJECT: ${cable.subject}`,
    '',
    ...cable.paragraphs.flatMap((text, index) => [`${index + 1}. (${marking}) ${text}`, '']),
    'SMITH',
  ].join('\n');
  const [year, month, day] = cable.date ? cable.date.split('-') : [];
  const date = cable.date ? `${month}/${day}/${year} 12:00` : '';
  const header = cable.date
    ? `R ${day}1200Z ${MONTHS[Number(month) - 1]} ${year!.slice(2)}\nFM ${cable.route}\nTO SECSTATE WASHDC`
    : `FM ${cable.route}\nTO SECSTATE WASHDC`;
  return [String(row), date, cable.ref, cable.origin, cable.classification, '', header, body].map(csvField).join(',');
}

export const FIXTURE_CABLES: readonly FixtureCable[] = [...generated(48), ...WRITTEN];

/** Writes the fixture cables (or others) as a cables.csv into a fresh temporary directory; returns its path. */
export function writeFixtureCsv(cables: readonly FixtureCable[] = FIXTURE_CABLES): string {
  const directory = mkdtempSync(join(tmpdir(), 'cablegraph-finding-'));
  const path = join(directory, 'cables.csv');
  writeFileSync(path, cables.map((cable, index) => csvRecord(cable, index + 1)).join('\n') + '\n');
  return path;
}
