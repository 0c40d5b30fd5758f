// One synthetic cable: the routing header, the body (classification line, caveats, E.O./DECL,
// TAGS, SUBJECT, REF, Classified By, numbered paragraphs with portion markings, page breaks of a
// multi-section cable, signature), the cables.csv row, and the ground truth of who it names.
import shape from './data/corpus-shape.json' with { type: 'json' };
import release from './data/release.json' with { type: 'json' };
import sentences from './data/sentences.json' with { type: 'json' };
import topicsData from './data/topics.json' with { type: 'json' };
import headerParts from './data/header-parts.json' with { type: 'json' };
import officesData from './data/offices.json' with { type: 'json' };
import { csvDate, dateTimeGroup, dayPhrase, julianStamp, minuteOf, MINUTES_PER_DAY, slashDate, yearOf } from './calendar.ts';
import { Mentions, NAME_SPACE, type CastMember, type TruthEntry } from './mentions.ts';
import {
  appearanceAt,
  bureauOf,
  countryInfo,
  type Appearance,
  type CountryInfo,
  type CountryPopulation,
  type Organization,
} from './population.ts';
import type { Post } from './posts.ts';
import { fromQuantiles, Weighted, type Random } from './random.ts';
import type { World } from './world.ts';

export type CsvRow = [string, string, string, string, string, string, string, string];

export interface SyntheticCable {
  id: string;
  row: CsvRow;
  truth: TruthEntry[];
}

export interface CablePlan {
  row: number;
  minute: number;
  post: Post;
  classification: string;
}

/** The release has 1,040 words a cable, the (classified-heavy) sample 1,505: lengths scale down. */
// (0.94: the routing header column of the release is longer than ours, the total stays near 1.7 GB.)
const LENGTH_SCALE = (0.94 * release.words) / release.cables / shape.wordsPerCable;
const TOPICS = topicsData.topics as Record<string, string[]>;
const TAG_CODES = (() => {
  // The sample's TAGS frequencies, with the release's own counts for the most used codes.
  const frequency: Record<string, number> = {};
  for (const [code, count] of Object.entries(shape.tagCodes)) if (/^[A-Z]{4}$/.test(code)) frequency[code] = count / shape.cables;
  for (const [code, count] of Object.entries(release.tagCables)) frequency[code] = count / release.cables;
  return Weighted.of(frequency);
})();
const TAG_COUNT = histogramTable(shape.tagCount);
const REFERENCE_ITEMS = histogramTable(shape.referenceItems);
const SIGNATURE = Weighted.of(shape.signature as Record<string, number>);
const MARKINGS = new Map(
  Object.entries(shape.markings).map(([classification, counts]) => [classification, Weighted.of(counts as Record<string, number>)]),
);
const INTERNATIONAL = officesData.internationalOrganizations;
const REASONS = headerParts.reasons;
const COLLECTIVES = headerParts.collectives as Record<string, string>;
const AGENCIES = headerParts.agencies;
const OFFICE_CODES = headerParts.officeCodes;
const GENERAL_SENTENCES = sentences.general;
/** Person sentences by which other people they need ({Q} host, {F} foreign, {U} US), for each combination at hand. */
const PERSON_SENTENCES = new Map<number, string[]>();
function personTemplates(host: boolean, foreign: boolean, us: boolean): string[] {
  const key = (host ? 1 : 0) + (foreign ? 2 : 0) + (us ? 4 : 0);
  let list = PERSON_SENTENCES.get(key);
  if (!list) {
    list = sentences.person.filter((t) => (host || !t.includes('{Q}')) && (foreign || !t.includes('{F}')) && (us || !t.includes('{U}')));
    PERSON_SENTENCES.set(key, list);
  }
  return list;
}

function histogramTable(histogram: Record<string, number>): Weighted<number> {
  return new Weighted(Object.keys(histogram).map(Number), Object.values(histogram));
}

function spaced(word: string): string {
  return word.split('').join(' ');
}

function pad(serial: number, width: number): string {
  return String(serial).padStart(width, '0');
}

/** The classification line's level: "C O N F I D E N T I A L", "SECRET", "UNCLAS". */
function levelWords(classification: string, letterSpaced: boolean): string {
  const level = classification.split('//')[0]!;
  if (level === 'UNCLASSIFIED') return 'UNCLAS';
  return letterSpaced ? spaced(level) : level;
}

export class CableComposer {
  private readonly mentions: Mentions;
  private readonly host: CountryPopulation | null;
  private readonly hostInfo: CountryInfo | null;
  private readonly year: number;
  private readonly topics: string[] = [];
  private readonly hostMembers: CastMember[] = [];
  private readonly foreignMembers: CastMember[] = [];
  private readonly usMembers: CastMember[] = [];
  private readonly taken = new Set<string>();
  private readonly allCaps: boolean;
  private readonly pilcrow: boolean;
  private readonly id: string;
  private readonly serial: number;
  private readonly references: string[] = [];
  private readonly usedTemplates = new Set<string>();

  constructor(
    private readonly random: Random,
    private readonly world: World,
    private readonly plan: CablePlan,
  ) {
    this.year = yearOf(plan.minute);
    this.serial = world.nextSerial(random, plan.post.station, this.year);
    this.id = `${String(this.year % 100).padStart(2, '0')}${plan.post.station}${this.serial}`;
    const hostCode = plan.post.country ?? world.countryTable.sample(random);
    this.host = hostCode === 'US' ? null : world.country(hostCode);
    this.hostInfo = countryInfo(hostCode);
    this.mentions = new Mentions(random, this.hostInfo?.adjective ?? null);
    this.allCaps = this.year < 2000 ? random.chance(shape.allCapsBefore2000) : random.chance(shape.allCapsFrom2000);
    this.pilcrow = this.year >= 2000 && random.chance(shape.pilcrow);
  }

  compose(): SyntheticCable {
    const { random, plan } = this;
    const classified = !plan.classification.startsWith('UNCLASSIFIED');
    const targetLength = fromQuantiles(random, shape.bodyLength) * LENGTH_SCALE;
    const tags = this.chooseTags();
    this.castPeople(targetLength);

    const staff = plan.post.station === 'STATE' ? null : this.world.us.staff(plan.post.station, plan.minute);
    const head: string[] = [];
    const classifiedBy = classified || random.chance(0.02) ? this.classifiedByLine(staff) : null;
    const subject = this.subjectLine();
    const references = this.referenceBlock();

    const paragraphs = this.paragraphs(targetLength);
    const signer = this.signer(staff);

    // Header block.
    const sections = Math.max(1, Math.ceil((targetLength + 600) / 5500));
    const multiSection = sections > 1 && random.chance(0.9);
    const letterSpaced = this.year >= 1995 && random.chance(0.9);
    const sectionText = multiSection ? `SECTION 01 OF ${pad(sections, 2)} ` : '';
    const sensitive = plan.classification === 'UNCLASSIFIED//FOR OFFICIAL USE ONLY';
    const levelLine = `${levelWords(plan.classification, letterSpaced)}${sensitive && random.chance(0.3) ? ' SENSITIVE' : ''} ${sectionText}${plan.post.written} ${pad(this.serial, this.year >= 1995 ? 6 : 1)}`;
    head.push(levelLine, '');
    const caveats: string[] = [];
    if (plan.classification.endsWith('NOFORN')) caveats.push('NOFORN');
    if (this.year >= 2006 && random.chance(shape.sipdis)) caveats.push('SIPDIS');
    if (sensitive && !levelLine.includes('SENSITIVE')) caveats.push(random.chance(0.8) ? 'SENSITIVE' : 'SENSITIVE BUT UNCLASSIFIED');
    if (this.year >= 2006 && caveats.includes('SIPDIS') && random.chance(0.15)) caveats.push('SIPDIS');
    if (caveats.length) head.push(...caveats, '');
    if (random.chance(0.3)) head.push(...this.routingLines(), '');
    head.push(this.declassificationLine(classified));
    head.push(`TAGS: ${tags.join(' ')}`);
    head.push(`SUBJECT: ${subject}`, '');
    if (references) head.push(references, '');
    if (classifiedBy) head.push(classifiedBy, '');

    let body = `${head.join('\n')}\n${this.layout(paragraphs, sections, multiSection)}`;
    if (signer) body += `\n${signer}`;
    body = body.replace(new RegExp(NAME_SPACE, 'g'), ' ');
    if (this.allCaps) body = body.toUpperCase();
    if (random.chance(0.3)) body = body.replace(/\n/g, ' \n');
    this.world.sent(plan.post.station, this.id);

    const row: CsvRow = [
      String(plan.row),
      csvDate(plan.minute),
      this.id,
      plan.post.origin,
      plan.classification,
      this.references.join(','),
      this.routingHeader(),
      body,
    ];
    return { id: this.id, row, truth: this.mentions.truth(this.id, this.allCaps) };
  }

  // ------------------------------------------------------------ people

  private castPeople(targetLength: number): void {
    const { random, plan } = this;
    if (this.host) {
      const count = Math.min(12, 1 + random.poisson(targetLength / 1900));
      for (let i = 0; i < count; i++) this.addHost(this.host.pick(random, plan.minute, this.taken));
    }
    const foreign = Math.min(3, random.poisson(0.55));
    for (let i = 0; i < foreign; i++) {
      const code = this.world.countryTable.sample(random);
      if (code === this.host?.info.code || code === 'US') continue;
      const population = this.world.country(code);
      const appearance = population.leader(random, plan.minute, this.taken);
      if (appearance) this.foreignMembers.push(this.addMember(appearance, population.info.adjective));
    }
    const bureau = bureauOf(this.host?.info.code ?? 'US');
    const officials = Math.min(3, random.poisson(plan.post.station === 'STATE' ? 1.0 : 0.25));
    for (let i = 0; i < officials; i++) {
      const appearance = this.world.us.official(random, plan.minute, bureau, this.taken);
      if (appearance) this.usMembers.push(this.addMember(appearance, null));
    }
    if (random.chance(0.06)) {
      const members = 1 + random.int(3);
      for (let i = 0; i < members; i++) {
        const appearance = this.world.us.member(random, plan.minute, this.taken);
        if (appearance) this.usMembers.push(this.addMember(appearance, null));
      }
    }
    if (plan.post.station !== 'STATE' && random.chance(0.22)) {
      const ambassador = this.world.us.staff(plan.post.station, plan.minute).ambassador;
      if (ambassador && !this.taken.has(ambassador.id)) this.usMembers.push(this.addMember(appearanceAt(ambassador, plan.minute), null));
    }
    if (this.hostMembers.length === 0 && this.foreignMembers.length === 0 && this.host) {
      const appearance = this.host.pick(random, plan.minute, this.taken);
      if (appearance) this.addHost(appearance);
    }
  }

  private addHost(appearance: Appearance | null): void {
    if (appearance) this.hostMembers.push(this.addMember(appearance, null));
  }

  private addMember(appearance: Appearance, foreignAdjective: string | null): CastMember {
    this.taken.add(appearance.individual.id);
    return this.mentions.add(appearance, foreignAdjective);
  }

  // ------------------------------------------------------------ header parts

  private chooseTags(): string[] {
    const { random } = this;
    const total = Math.max(2, TAG_COUNT.sample(random));
    const countryTags = this.hostInfo ? [this.hostInfo.fips] : [];
    if (random.chance(0.3)) {
      const other = countryInfo(this.world.countryTable.sample(random));
      if (other && !countryTags.includes(other.fips)) countryTags.push(other.fips);
    }
    const codes: string[] = [];
    for (let attempt = 0; codes.length < Math.max(1, total - countryTags.length) && attempt < 40; attempt++) {
      const code = TAG_CODES.sample(random);
      if (!codes.includes(code)) codes.push(code);
    }
    for (const code of codes) if (TOPICS[code]) this.topics.push(...TOPICS[code]!.filter(() => random.chance(0.5)));
    if (this.topics.length === 0) this.topics.push(...random.shuffle([...topicsData.fillers]).slice(0, 2));
    random.shuffle(this.topics);
    return [...codes, ...countryTags];
  }

  private topic(second = false): string {
    const list = this.topics;
    if (second && list.length > 1) return list[1 + this.random.int(list.length - 1)]!;
    return this.random.chance(0.7) ? list[0]! : this.random.pick(list);
  }

  private subjectLine(): string {
    const { random } = this;
    const person = this.hostMembers[0] ?? this.foreignMembers[0];
    let templates = sentences.subjects;
    if (!person) templates = templates.filter((t) => !t.includes('{PNAME}'));
    const template = random.pick(templates);
    let personForm: { title: string; name: string } | null = null;
    const text = template.replace(/\{(\w+)\}/g, (_, slot: string) => {
      switch (slot) {
        case 'C':
          return (this.hostInfo?.name ?? 'UNITED STATES').toUpperCase();
        case 'CA':
          return (this.hostInfo?.adjective ?? 'US').toUpperCase();
        case 'TOPIC':
          return this.topics[0]!.toUpperCase();
        case 'TOPIC2':
          return this.topic(true).toUpperCase();
        case 'PTITLE':
          personForm ??= this.mentions.subjectForm(person!);
          return personForm.title;
        case 'PNAME':
          personForm ??= this.mentions.subjectForm(person!);
          return personForm.name;
        default:
          return slot;
      }
    });
    const subject = text.replace(/\s+/g, ' ').replace(/^ | $/g, '').replace(/^: /, '');
    if (personForm) {
      const { title, name } = personForm;
      const member = person!;
      this.mentions.written(member, name);
      if (title && subject.includes(`${title} ${name}`)) this.mentions.written(member, `${title} ${name}`);
    }
    return this.year >= 2000 && random.chance(0.08) ? `(${portionMarkingOf(this.plan.classification)}) ${subject}` : subject;
  }

  private declassificationLine(classified: boolean): string {
    const { random, plan } = this;
    if (this.year < 1978) return `E.O. 11652: ${classified ? 'GDS' : 'N/A'}`;
    if (this.year < 1982) return `E.O. 12065: ${classified ? `GDS ${slashDate(plan.minute + 6 * 365 * MINUTES_PER_DAY)}` : 'N/A'}`;
    if (this.year < 1995) return `E.O. 12356: ${classified ? 'DECL: OADR' : 'N/A'}`;
    if (!classified) return 'E.O. 12958: N/A';
    const years = random.chance(0.85) ? 10 : random.pick([5, 15, 20, 25]);
    const decl = new Date(Date.UTC(yearOf(plan.minute) + years, 0, 1) + (plan.minute - minuteOf(yearOf(plan.minute))) * 60000);
    const mm = String(decl.getUTCMonth() + 1).padStart(2, '0');
    const dd = String(decl.getUTCDate()).padStart(2, '0');
    return `E.O. 12958: DECL: ${mm}/${dd}/${decl.getUTCFullYear()}`;
  }

  /** `DEPT FOR EUR/WE`, sometimes with a desk officer's name (`NSC FOR JOHN SMITH`). */
  private routingLines(): string[] {
    const { random } = this;
    const lines = [`DEPT FOR ${random.pick(OFFICE_CODES)}${random.chance(0.4) ? ` AND ${random.pick(OFFICE_CODES)}` : ''}`];
    if (random.chance(0.3)) {
      const desk = this.world.us.deskOfficer(random, this.plan.minute);
      if (desk && !this.taken.has(desk.id)) {
        const member = this.addMember({ individual: desk, title: null, former: false, prominent: false }, null);
        const name = desk.name.full.replace(/ [A-Z]\. /, ' ').toUpperCase();
        this.mentions.written(member, name);
        lines.push(`${random.pick(['NSC', 'USTR', 'OSD', 'TREASURY'])} FOR ${name}`);
      }
    }
    return lines;
  }

  private referenceBlock(): string | null {
    const { random, plan } = this;
    const count = REFERENCE_ITEMS.sample(random);
    if (count === 0) return null;
    const items: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = random.chance(0.88) ? this.world.earlierCable(random, plan.post.station) : null;
      if (id && !this.references.includes(id)) {
        this.references.push(id);
        items.push(this.writtenReference(id));
      } else {
        const kind = random.pick(['EMAIL', 'TELCON', 'MEMCON', 'DEMARCHE REPORT', 'EMBASSY DAILY REPORT']);
        items.push(`${random.pick(OFFICE_CODES)} ${kind} OF ${slashDate(plan.minute - random.int(60) * MINUTES_PER_DAY)}`);
      }
    }
    if (items.length === 1) return `${random.pick(['REF: ', 'REF: ', 'REFTEL: ', 'REF '])}${items[0]}`;
    const letters = items.map((item, i) => ({ letter: String.fromCharCode(65 + i), item }));
    switch (random.int(5)) {
      case 0:
        return `REF: ${letters.map(({ letter, item }, i) => (i === 0 ? `${letter}. ${item}` : `${this.pilcrow ? '¶' : ''}${letter}. ${item}`)).join('\n')}`;
      case 1:
        return `REF: ${letters.map(({ letter, item }) => `${letter}. ${item}`).join(' ')}`;
      case 2:
        return `REFS: ${letters.map(({ letter, item }) => `${letter}) ${item}`).join(', ')}`;
      case 3:
        return `REF: ${letters.map(({ letter, item }, i) => `${i === 0 ? '' : '     '}(${letter}) ${item}`).join('\n')}`;
      default:
        return `REF: ${items.join('; ')}`;
    }
  }

  /** An earlier cable as REF lines write it: `MOSCOW 517`, `08 MOSCOW 517`, `STATE 106206`. */
  private writtenReference(id: string): string {
    const match = /^(\d{2})([A-Z]+?)(\d+)$/.exec(id)!;
    const [, year, station, serial] = match;
    const written = this.world.citedNames.get(station!) ?? station!;
    const ownYear = String(this.year % 100).padStart(2, '0');
    const number = this.random.chance(0.15) ? serial!.padStart(6, '0') : serial!;
    if (year !== ownYear || this.random.chance(0.3)) {
      return this.random.chance(0.85) ? `${year} ${written} ${number}` : `${written} ${number} (${year})`;
    }
    return `${written} ${number}`;
  }

  private classifiedByLine(staff: ReturnType<World['us']['staff']> | null): string | null {
    const { random, plan } = this;
    let individual;
    let title: string;
    if (!staff) {
      const bureau = bureauOf(this.host?.info.code ?? 'US');
      individual = this.world.us.bureauHead(bureau, plan.minute);
      const def = officesData.bureaus[bureau as keyof typeof officesData.bureaus];
      title = random.chance(0.5)
        ? def.short
        : def.title.replace(/^Assistant Secretary/, `${bureau} Assistant Secretary`).replace(/ for .*$/, '');
    } else {
      const roll = random.next();
      if (roll < 0.4 && staff.ambassador) {
        individual = staff.ambassador;
        title = 'Ambassador';
      } else if (roll < 0.4 || roll < 0.55) {
        individual = staff.dcm;
        title = staff.ambassador ? random.pick(['Deputy Chief of Mission', 'DCM', 'Acting Deputy Chief of Mission']) : "Charge d'Affaires";
      } else if (roll < 0.85) {
        individual = staff.politicalCounselor;
        title = random.pick(['Political Counselor', 'Acting Political Counselor', 'Political Section Chief', 'Poloff']);
      } else {
        individual = staff.economicCounselor;
        title = random.pick(['Economic Counselor', 'Econoff', 'Economic Officer']);
      }
    }
    if (!individual) return null;
    const existing = this.mentions.find(individual.id);
    const member = existing ?? this.addMember(appearanceAt(individual, plan.minute), null);
    const name = individual.name.full;
    this.mentions.written(member, name, `${title} ${name}`);
    const keyword = random.chance(0.9) ? 'Classified By:' : 'CLASSIFIED BY:';
    const line = random.chance(0.8)
      ? `${keyword} ${title} ${name} ${random.pick(REASONS)}`
      : `${keyword} ${title} ${name}, ${random.pick(REASONS)}`;
    return wrap(line, 70).join('\n');
  }

  private signer(staff: ReturnType<World['us']['staff']> | null): string | null {
    const { random, plan } = this;
    const individual = staff ? (staff.ambassador ?? staff.dcm) : this.world.us.secretary(plan.minute);
    const style = SIGNATURE.sample(random);
    if (!individual || style === 'none') return random.chance(0.5) ? null : '';
    const surname = individual.name.later[individual.name.later.length - 1]!;
    return style === 'upper' ? surname.toUpperCase() : surname;
  }

  // ------------------------------------------------------------ paragraphs

  private paragraphs(targetLength: number): string[] {
    const { random } = this;
    const texts: string[] = [];
    const summary = random.chance(shape.summary);
    const comment = random.chance(shape.comment);
    const order = [...this.hostMembers, ...this.foreignMembers, ...this.usMembers.filter((m) => m.mentions === 0 && !m.forms.length)];
    let focusIndex = 0;
    let length = 700;
    const nextFocus = (): CastMember | null => {
      if (order.length === 0) return null;
      const unmentioned = order.find((member) => member.mentions === 0);
      if (unmentioned) return unmentioned;
      return order[focusIndex++ % order.length]!;
    };
    while (length < targetLength || texts.length < 1) {
      // The top 5% of measured paragraph lengths are tables and lists run together: capped.
      const goal = Math.min(fromQuantiles(random, shape.paragraphLength), 2400) * 0.85;
      const opening = texts.length === 0 && summary;
      const closing = !opening && comment && length + goal >= targetLength && texts.length > 1;
      let text = '';
      const focus = nextFocus();
      while (text.length < goal) {
        const sentence = this.sentence(focus, random.chance(focus ? 0.7 : 0));
        text += (text ? ' ' : '') + sentence;
      }
      if (opening) text = `${random.pick(sentences.summaryOpen)} ${text} ${random.pick(sentences.summaryClose)}`;
      if (closing) text = `${random.pick(sentences.commentOpen)} ${text} ${random.pick(sentences.commentClose)}`;
      texts.push(text);
      length += text.length + 12;
      if (texts.length > 80) break;
    }
    // Everyone cast is named at least once.
    for (const member of order) {
      if (member.mentions > 0) continue;
      texts[texts.length - 1] += ' ' + this.sentence(member, true);
    }
    return texts;
  }

  private sentence(focus: CastMember | null, aboutPerson: boolean): string {
    const { random } = this;
    const others = this.hostMembers.filter((m) => m !== focus);
    const foreign = this.foreignMembers.filter((m) => m !== focus);
    const us = this.usMembers.filter((m) => m !== focus);
    const candidates = aboutPerson && focus ? personTemplates(others.length > 0, foreign.length > 0, us.length > 0) : GENERAL_SENTENCES;
    // A sentence shape is used once a cable while others are left.
    let template = random.pick(candidates);
    for (let attempt = 0; attempt < 6 && this.usedTemplates.has(template); attempt++) template = random.pick(candidates);
    this.usedTemplates.add(template);
    const pronoun = focus?.appearance.individual.female ? ['she', 'her', 'her'] : ['he', 'him', 'his'];
    const text = template.replace(/\{(\w+)\}/g, (_, slot: string, offset: number) => {
      const leading = offset === 0;
      switch (slot) {
        case 'P':
          return this.mentions.person(focus!, leading);
        case 'Q':
          return this.mentions.person(random.pick(others), leading);
        case 'F':
          return this.mentions.person(random.pick(foreign), leading);
        case 'U':
          return this.mentions.person(random.pick(us), leading);
        case 'HE':
          return pronoun[0]!;
        case 'HIM':
          return pronoun[1]!;
        case 'HIS':
          return pronoun[2]!;
        case 'WE':
          return random.pick(['Poloff', 'Emboffs', 'the Ambassador', 'PolChief', 'Econoff', 'the DCM', 'us']);
        case 'ORG':
          return this.mentions.organization(this.organization());
        case 'IO': {
          const io = random.pick(INTERNATIONAL);
          return this.mentions.organization({ ...io, kind: 'international', country: null });
        }
        case 'C':
          return this.hostInfo?.name ?? 'the United States';
        case 'CA':
          return this.hostInfo?.adjective ?? 'US';
        case 'C2':
          return countryInfo(this.world.countryTable.sample(random))?.name ?? 'Canada';
        case 'DATE':
          return dayPhrase(this.plan.minute - random.int(20) * MINUTES_PER_DAY);
        case 'YEAR':
          return String(this.year - 1 - random.int(6));
        case 'NUM':
          return random.pick(['two', 'three', 'four', 'five', 'six', '12', '20', '35']);
        case 'MONEY':
          return `$${random.between(2, 900)} million`;
        case 'PCT':
          return `${random.between(3, 90)} percent`;
        case 'TOPIC':
          return this.topic();
        case 'TOPIC2':
          return this.topic(true);
        default:
          return slot;
      }
    });
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  private organization(): Organization {
    const keys = ['mfa', 'mfa', 'mod', 'moi', 'mof', 'parliament', 'party1', 'party2', 'cbank', 'moj', 'mem'];
    const org = this.host?.organizations.get(this.random.pick(keys));
    return org ?? { name: 'Department of State', acronym: null, kind: 'ministry', country: 'US' };
  }

  // ------------------------------------------------------------ layout

  /** Numbered, marked, wrapped paragraphs, with section headings and page breaks. */
  private layout(paragraphs: string[], sections: number, multiSection: boolean): string {
    const { random, plan } = this;
    const width = random.chance(0.08) ? 0 : random.between(58, 69);
    const headings = random.chance(shape.sectionHeadings);
    const marking = MARKINGS.get(plan.classification);
    const blocks: { lines: string[]; breakable: boolean[] }[] = [];
    paragraphs.forEach((text, index) => {
      if (headings && index > 0 && random.chance(0.25)) {
        const heading = random
          .pick(sentences.headings)
          .replace('{CA}', this.hostInfo?.adjective ?? 'US')
          .replace('{TOPIC}', titleWords(this.topic()));
        blocks.push({ lines: [heading, '-'.repeat(heading.length)], breakable: [false, false] });
      }
      const number = `${this.pilcrow ? '¶' : ''}${index + 1}.`;
      const mark = this.year >= 1995 && marking ? marking.sample(random) : 'none';
      const prefix = mark === 'none' ? `${number} ` : `${number} (${mark}) `;
      const lines = width ? wrapWithBreaks(prefix + text, width) : { lines: [prefix + text], breakable: [true] };
      blocks.push(lines);
    });
    // Page breaks: where a section ends, at a line end that does not split a name.
    const pageBreaks: Set<string> = new Set();
    const allLines: { text: string; breakable: boolean }[] = [];
    blocks.forEach((block, b) => {
      block.lines.forEach((text, i) => allLines.push({ text, breakable: block.breakable[i]! }));
      if (b < blocks.length - 1) allLines.push({ text: '', breakable: true });
    });
    const total = allLines.reduce((sum, line) => sum + line.text.length + 1, 0);
    const out: string[] = [];
    let written = 0;
    let section = 1;
    for (const line of allLines) {
      out.push(line.text);
      written += line.text.length + 1;
      if (multiSection && section < sections && written >= (total * section) / sections && line.breakable) {
        section++;
        const page = `${plan.post.written} ${pad(this.serial, 8)}  ${pad(section, 3)} OF ${pad(sections, 3)}`;
        if (!pageBreaks.has(page)) {
          pageBreaks.add(page);
          out.push('', page, '', '');
        }
      }
    }
    return out.join('\n');
  }

  // ------------------------------------------------------------ routing header

  private routingHeader(): string {
    const { random, plan } = this;
    const post = plan.post;
    const level = plan.classification.split('//')[0]!;
    const precedence = random.pick(['R', 'R', 'P', 'P', 'O']);
    const lines: string[] = [];
    const modern = this.year >= 2004 && random.chance(shape.routingIndicatorHeader);
    const bureau = bureauOf(this.host?.info.code ?? 'US');
    if (modern) {
      const marker = level === 'UNCLASSIFIED' ? 'ZNR UUUUU ZZH' : `ZNY ${level[0]!.repeat(5)} ZZH`;
      lines.push(`VZCZC${random.pick(['XRO', 'XYZ'])}${pad(random.int(10000), 4)}`);
      lines.push(`${precedence}${precedence} RUEH${random.pick(['WEB', 'ROV', 'AG', 'DA'])}`);
      lines.push(`DE RUEH${post.routing} #${pad(this.serial % 10000, 4)}/01 ${julianStamp(plan.minute)}`);
      lines.push(marker);
    }
    lines.push(`${precedence} ${dateTimeGroup(plan.minute)}`);
    const precedenceWord = { R: '', P: ' PRIORITY', O: ' IMMEDIATE' }[precedence]!;
    if (post.station === 'STATE') {
      lines.push('FM SECSTATE WASHDC');
      const target = this.world.posts.find((p) => p.country === this.host?.info.code && p.station !== 'STATE');
      lines.push(
        `TO ${modern ? `RUEH${target?.routing ?? 'XX'}/` : ''}${target?.from ?? 'ALL DIPLOMATIC AND CONSULAR POSTS'}${precedenceWord} ${pad(random.int(9000) + 100, 4)}`,
      );
    } else {
      lines.push(`FM ${post.from}`);
      lines.push(`TO ${modern ? 'RUEHC/' : ''}SECSTATE WASHDC${precedenceWord} ${pad(random.int(9000) + 100, 4)}`);
    }
    const info: string[] = [];
    if (random.chance(0.6)) info.push(`${modern ? `RUEH${random.pick(['ZL', 'XK', 'ZA', 'XD', 'ZG'])}/` : ''}${COLLECTIVES[bureau]}`);
    const others = random.int(8);
    for (let i = 0; i < others; i++) {
      const other = this.world.postTable.sample(random);
      if (other.station === post.station || other.station === 'STATE') continue;
      info.push(
        `${modern ? `RUEH${other.routing}/` : ''}${other.from}${precedenceWord}${random.chance(0.5) ? ` ${pad(random.int(9000) + 100, 4)}` : ''}`,
      );
    }
    if (random.chance(0.4)) info.push(modern ? random.pick(AGENCIES) : random.pick(AGENCIES).replace(/^[A-Z]+\//, ''));
    if (info.length) lines.push(`INFO ${info[0]}`, ...info.slice(1));
    return lines.join('\n');
  }
}

function portionMarkingOf(classification: string): string {
  const level = classification.split('//')[0]!;
  return level === 'UNCLASSIFIED' ? 'U' : level[0]!;
}

function titleWords(text: string): string {
  return text.replace(/\b[a-z]/g, (letter) => letter.toUpperCase()).replace(/\b(Of|The|And|In|On|For|To)\b/g, (word) => word.toLowerCase());
}

/** Words of a paragraph on lines of at most `width` characters; a name's inner spaces wrap too, but are marked. */
function wrapWithBreaks(text: string, width: number): { lines: string[]; breakable: boolean[] } {
  const lines: string[] = [];
  const breakable: boolean[] = [];
  // Alternating words and the space after each: a plain one or a name's.
  const parts = text.split(/([ \u00a0])/);
  let line = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const separator = parts[i]!;
    const word = parts[i + 1]!;
    if (line.length + 1 + word.length > width && line) {
      lines.push(line);
      breakable.push(separator !== NAME_SPACE);
      line = word;
    } else line += separator + word;
  }
  lines.push(line);
  breakable.push(true);
  return { lines, breakable };
}

function wrap(text: string, width: number): string[] {
  return wrapWithBreaks(text, width).lines;
}
