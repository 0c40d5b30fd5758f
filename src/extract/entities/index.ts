// find-entities: persons, organizations, countries and dates, and every mention of them in the body.
// A pipeline of stages over one tokenization: countries -> organizations -> persons -> merge -> dates.
import type { HeaderFields } from '../header/index.ts';
import type { Extraction, Mention, Paragraph } from '../types.ts';
import { cableDateOf, findDates } from './find-dates.ts';
import { findCountries } from './find-countries.ts';
import { findOrganizations } from './find-organizations.ts';
import { findPersons } from './find-persons.ts';
import { hostCountryOf } from './host-country.ts';
import { countryName } from './gazetteer.ts';
import { mergeOrganizations } from './merge-organizations.ts';
import { mergePersons } from './merge-persons.ts';
import { paragraphLocator, tokenize } from './tokens.ts';

export type EntityFields = Pick<Extraction, 'persons' | 'organizations' | 'countries' | 'dates' | 'mentions'>;

export function findEntities(body: string, paragraphs: Paragraph[], header: HeaderFields): EntityFields {
  const tokens = tokenize(body, paragraphs);
  const countries = findCountries(tokens, header);
  const hostCountry = hostCountryOf(header, countries.hits);
  const organizationHits = findOrganizations(tokens, { countryHits: countries.hits, hostCountry });
  const personHits = findPersons(tokens, { countryHits: countries.hits, organizationHits, classifiedBy: header.classifiedBy });
  const { organizations, mentions: organizationMentions } = mergeOrganizations(organizationHits);

  const occupiedSpans = [...countries.hits, ...organizationHits.filter((h) => !h.bare)].sort((a, b) => a.start - b.start);
  const occupied = (start: number, end: number) => overlapsAny(occupiedSpans, start, end);
  const { persons, mentions: personMentions } = mergePersons(personHits, tokens, hostCountry, occupied);

  // A person's organization by the organization's own name ("PCO's Rob Fonberg": Privy Council Office).
  const organizationNames = new Map<string, string>();
  for (const organization of organizations)
    for (const form of [organization.name, ...organization.aliases]) organizationNames.set(form, organization.name);
  for (const person of persons) person.organizations = [...new Set(person.organizations.map((o) => organizationNames.get(o) ?? o))];

  const dates = findDates(body, cableDateOf(header, body), paragraphLocator(paragraphs), tokens.allCaps);

  const countryMentions: Mention[] = countries.hits.map((hit) => ({
    kind: 'country',
    entity: countryName(hit.code) ?? hit.code,
    paragraph: hit.paragraph,
    start: hit.start,
    end: hit.end,
    text: hit.text,
    title: null,
  }));
  const dateMentions: Mention[] = dates.map((d) => ({
    kind: 'date',
    entity: d.date,
    paragraph: d.paragraph,
    start: d.start,
    end: d.end,
    text: d.text,
    title: null,
  }));
  const mentions = [...personMentions, ...organizationMentions, ...countryMentions, ...dateMentions].sort(
    (a, b) => a.start - b.start || a.end - b.end,
  );

  return {
    persons,
    organizations,
    countries: countries.codes.map((code) => countryName(code) ?? code),
    dates,
    mentions,
  };
}

function overlapsAny(sorted: { start: number; end: number }[], start: number, end: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start < end) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo - 1; k >= 0 && k >= lo - 8; k--) if (sorted[k]!.end > start) return true;
  return false;
}
