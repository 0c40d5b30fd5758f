// How one cable writes the people and organizations it names, and the ground truth of it: the
// first mention gives the full name with the title ("Foreign Minister Pedro Alvarado", "Pedro
// Alvarado, Foreign Minister,", "MFA's Pedro Alvarado"), later ones the surname with or without a
// short title ("FM Alvarado", "Alvarado", "Mr. Alvarado"); people who share a surname in the cable
// keep their full names. Every form written is recorded for the ground truth, as written.
import { regionOf } from './names.ts';
import type { Appearance, Organization } from './population.ts';
import type { Random } from './random.ts';

/** Spaces inside a name: kept together when a page break is placed. */
export const NAME_SPACE = '\u00a0';

export interface CastMember {
  appearance: Appearance;
  /** The adjective of the person's country when the cable's host is another country ("Iranian"). */
  foreignAdjective: string | null;
  mentions: number;
  forms: string[];
}

export interface TruthEntry {
  cable: string;
  /** The word the cable's later mentions use (surname, or given name where usage calls for it). */
  surname: string;
  /** Name forms the cable writes for the individual, as written, with and without the title before them. */
  forms: string[];
  individual: string;
  /** The individual's full name and country, for reading the truth. */
  name: string;
  country: string;
}

const WESTERN_HONORIFIC_REGIONS = /^(?:anglo|german|french|italian|dutch|nordic|hispanic|lusophone)$/;

function bind(text: string): string {
  return text.replace(/ /g, NAME_SPACE);
}

export class Mentions {
  readonly cast: CastMember[] = [];
  private readonly organizationsSeen = new Set<string>();

  constructor(
    private readonly random: Random,
    private readonly hostAdjective: string | null,
  ) {}

  add(appearance: Appearance, foreignAdjective: string | null = null): CastMember {
    const member: CastMember = { appearance, foreignAdjective, mentions: 0, forms: [] };
    this.cast.push(member);
    return member;
  }

  has(id: string): boolean {
    return this.cast.some((member) => member.appearance.individual.id === id);
  }

  find(id: string): CastMember | undefined {
    return this.cast.find((member) => member.appearance.individual.id === id);
  }

  private record(member: CastMember, ...forms: string[]): void {
    for (const form of forms) if (!member.forms.includes(form)) member.forms.push(form);
  }

  /** Does another person of this cable go by the same word? Then bare surnames would be ambiguous. */
  private shared(member: CastMember): boolean {
    const key = member.appearance.individual.name.key;
    return this.cast.some((other) => other !== member && other.appearance.individual.name.key === key);
  }

  /**
   * The person as the text names them here. `leading`: the name starts the sentence, so an
   * appositive title may follow it.
   */
  person(member: CastMember, leading: boolean): string {
    const { individual, title } = member.appearance;
    const name = individual.name;
    const random = this.random;
    member.mentions++;
    if (member.mentions === 1) {
      const full = name.full;
      const first = title && title.first.length ? random.pick(title.first) : null;
      const honorific = title?.honorific ? `${title.honorific} ` : '';
      const named = `${honorific}${full}`;
      const roll = random.next();
      const acronym = title?.organization?.acronym;
      // Well-known office holders often go by title and surname alone ("President Godefon").
      if (first && member.appearance.prominent && random.chance(0.45)) {
        const later = name.later[0]!;
        const titled = `${leading ? first.charAt(0).toUpperCase() + first.slice(1) : first} ${honorific}${later}`;
        this.record(member, later, titled);
        return bind(member.foreignAdjective && /^[A-Z]/.test(first) ? `${member.foreignAdjective} ${titled}` : titled);
      }
      if (first && (roll < 0.62 || member.foreignAdjective)) {
        // "Iranian Foreign Minister …" for a foreigner, sometimes "Spanish Foreign Minister …" at home.
        const chosen = member.foreignAdjective ?? (random.chance(0.1) ? this.hostAdjective : null);
        const adjective = chosen && /^[A-Z]/.test(first) ? chosen : null;
        // A title starting the sentence is capitalized there ("Party spokesman …").
        const titled = `${leading && !adjective ? first.charAt(0).toUpperCase() + first.slice(1) : first} ${named}`;
        this.record(member, full, titled, ...(honorific ? [named] : []));
        return bind(adjective ? `${adjective} ${titled}` : titled);
      }
      if (first && roll < 0.75 && leading) {
        this.record(member, named);
        return `${bind(named)}, ${first},`;
      }
      if (first && roll < 0.85 && acronym) {
        this.record(member, full);
        return `${acronym}'s ${bind(full)}`;
      }
      this.record(member, full);
      return bind(full);
    }
    if (this.shared(member)) {
      this.record(member, name.full);
      return bind(name.full);
    }
    const later = random.pick(name.later);
    const roll = random.next();
    const short = title && title.later.length && !member.appearance.former ? random.pick(title.later) : null;
    if (short && roll < 0.3) {
      const titled = `${short} ${later}`;
      this.record(member, later, titled);
      return bind(titled);
    }
    if (roll < 0.38) {
      this.record(member, name.full);
      return bind(name.full);
    }
    if (roll < 0.45 && name.later[0] === name.key && WESTERN_HONORIFIC_REGIONS.test(regionOf(individual.country))) {
      const honorific = individual.female ? 'Ms.' : 'Mr.';
      this.record(member, later, `${honorific} ${later}`);
      return bind(`${honorific} ${later}`);
    }
    this.record(member, later);
    return bind(later);
  }

  /** The person in the SUBJECT line: short title and surname, upper case ("FM", "ALVARADO"); record what is written with `written`. */
  subjectForm(member: CastMember): { title: string; name: string } {
    const { individual, title } = member.appearance;
    const later = individual.name.later[individual.name.later.length - 1]!;
    const short =
      title && !member.appearance.former ? (title.later[0] ?? (title.first[0] && title.first[0].length < 24 ? title.first[0] : '')) : '';
    // A surname two people of the cable share is no way to name either.
    const name = this.shared(member) ? individual.name.full : later;
    return { title: short.toUpperCase(), name: name.toUpperCase() };
  }

  /** A form written outside the running text (Classified By, routing lines), recorded as written. */
  written(member: CastMember, ...forms: string[]): void {
    this.record(member, ...forms);
  }

  organization(organization: Organization): string {
    const seen = this.organizationsSeen.has(organization.name);
    this.organizationsSeen.add(organization.name);
    if (!organization.acronym) return organization.name;
    if (!seen) return `${organization.name} (${organization.acronym})`;
    return this.random.chance(0.85) ? organization.acronym : organization.name;
  }

  truth(cable: string, upperCase: boolean): TruthEntry[] {
    return this.cast
      .filter((member) => member.forms.length > 0)
      .map((member) => {
        const { individual } = member.appearance;
        const forms = upperCase ? [...new Set(member.forms.map((form) => form.toUpperCase()))] : member.forms;
        return {
          cable,
          surname: individual.name.key,
          forms,
          individual: individual.id,
          name: individual.name.full,
          country: individual.country,
        };
      });
  }
}
