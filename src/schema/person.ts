import { offsetForArgs, resolveOffsetConnection, type DefaultConnectionArguments } from '@pothos/plugin-relay';

import type { OrganizationRow } from '../db/read-organizations.ts';
import { countPersons, listPersons, type CandidateRow, type PersonRow, type TitleRow } from '../db/read-persons.ts';
import { builder, PAGE } from './builder.ts';
import { nodeRows } from './node-rows.ts';
import { Cable } from './cable-ref.ts';
import { Country, countryOf } from './country.ts';
import { ERROR_CODES, userError } from './errors.ts';
import { Mention } from './mention.ts';
import { Organization } from './organization.ts';
import { pageOf, pageOfPrefix } from './pages.ts';
import { checkOffsetCursors } from './cursor.ts';

/**
 * How many leading items of a list the page `args` asks for can reach: null when the page is
 * counted from the end (`last`), which needs the whole list.
 */
function pagePrefix(args: DefaultConnectionArguments): number | null {
  if (args.last != null) return null;
  const { offset, limit } = offsetForArgs({ args: checkOffsetCursors(args), ...PAGE });
  return offset + limit;
}

export const Person = builder.loadableNodeRef('Person', {
  id: {
    resolve: (person: PersonRow) => String(person.id),
    parse: (id) => {
      if (!/^\d{1,9}$/.test(id)) throw userError(ERROR_CODES.invalidId, `"${id}" does not name a person`);
      return id;
    },
  },
  load: (ids: string[], context) => context.loaders.personById.loadMany(ids.map(Number)).then(nodeRows),
});

const PersonTitle = builder.objectRef<TitleRow>('PersonTitle').implement({
  description: 'A title a person is given in the cables, with when and where.',
  fields: (t) => ({
    title: t.exposeString('title', { description: 'The title as written ("Prime Minister").' }),
    firstDate: t.exposeString('first_date', { nullable: true, description: 'Date of the earliest cable giving this title.' }),
    lastDate: t.exposeString('last_date', { nullable: true, description: 'Date of the latest cable giving this title.' }),
    cableCount: t.exposeInt('cable_count', { description: 'How many cables give this title.' }),
    cables: t.field({
      type: [Cable],
      description: 'The cables giving this title (at most 100).',
      // Refs are loaded through the Cable node's own loader.
      resolve: (title) => title.cable_refs.slice(0, PAGE.maxSize),
    }),
  }),
});

const PersonCandidate = builder.objectRef<CandidateRow>('PersonCandidate').implement({
  description: 'An individual this person may also be: a match too weak to merge automatically.',
  fields: (t) => ({
    person: t.field({
      type: Person,
      description: 'The other individual.',
      resolve: async (candidate, _args, context) => (await context.loaders.personById.load(candidate.candidate_id))!,
    }),
    score: t.exposeFloat('score', { description: 'Strength of the match, 0 to 1.' }),
    reason: t.exposeString('reason', { description: 'Why the two were not merged.' }),
  }),
});

const PersonFilter = builder.inputType('PersonFilter', {
  description: 'Conditions a person must meet; all given conditions apply.',
  fields: (t) => ({
    name: t.string({ description: 'Part of a name or alias, case-insensitive ("chretien").' }),
    country: t.string({ description: 'Country of affiliation: ISO code ("CA") or English name.' }),
    title: t.string({ description: 'Part of any title the cables give the person, case-insensitive ("minister").' }),
  }),
});

Person.implement({
  description: 'An individual named in the cables, resolved across them.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The fullest name the cables give.' }),
    aliases: t.exposeStringList('aliases', { description: 'Other forms the cables use (surname alone, ALL CAPS, transliterations).' }),
    country: t.field({
      type: Country,
      nullable: true,
      description: 'Country of affiliation.',
      resolve: (person) => countryOf(person),
    }),
    countryName: t.exposeString('country_name', { nullable: true, description: 'English name of the country of affiliation.' }),
    countryCode: t.exposeString('country_code', { nullable: true, description: 'ISO 3166 alpha-2 code of the country of affiliation.' }),
    cableCount: t.exposeInt('cable_count', { description: 'How many cables name this person.' }),
    mentionCount: t.exposeInt('mention_count', { description: 'How many times the cables name this person.' }),
    firstDate: t.exposeString('first_date', { nullable: true, description: 'Date of the earliest cable naming this person.' }),
    lastDate: t.exposeString('last_date', { nullable: true, description: 'Date of the latest cable naming this person.' }),
    titles: t.field({
      type: [PersonTitle],
      description: "The person's titles over time, earliest first.",
      resolve: (person, _args, context) => context.loaders.titlesByPerson.load(person.id),
    }),
    candidates: t.field({
      type: [PersonCandidate],
      description: 'Possible matches left unmerged, strongest first.',
      resolve: (person, _args, context) => context.loaders.candidatesByPerson.load(person.id),
    }),
    cables: t.connection({
      type: Cable,
      description: 'Cables naming this person, oldest first.',
      // Only as many cables as the page reaches, read with the persons of the whole level at once.
      resolve: async (person, args, context) => {
        const prefix = pagePrefix(args);
        const rows = await context.loaders.cablesByPerson(prefix).load(person.id);
        // The whole list's length only when it is asked for (or `last` needs it): counting a
        // prominent person's cables reads thousands of index entries, the page only a few.
        if (prefix === null) return pageOf(args, rows);
        return pageOfPrefix(args, rows, () => context.loaders.cableTotalByPerson.load(person.id));
      },
    }),
    mentions: t.connection({
      type: Mention,
      description: 'Each time the cables name this person, oldest cable first, in text order within a cable.',
      resolve: async (person, args, context) => pageOf(args, await context.loaders.mentionsByPerson.load(person.id)),
    }),
    affiliations: t.connection(
      {
        type: Organization,
        description:
          'Organizations the cables tie this person to in the text ("PCO\'s Rob Fonberg", "Foreign Affairs Assistant Deputy Minister Jim Wright"), ' +
          'best attested first; being named near an organization does not count. The reverse of Organization.members.',
        resolve: async (person, args, context) => pageOf(args, await context.loaders.affiliationsByPerson.load(person.id)),
      },
      {},
      {
        fields: (edge) => ({
          cableCount: edge.int({
            description: 'How many cables tie the person to this organization.',
            resolve: (item) => (item.node as OrganizationRow & { evidence: number }).evidence,
          }),
        }),
      },
    ),
  }),
});

builder.objectField(Cable, 'persons', (t) =>
  t.connection({
    type: Person,
    description: 'Individuals named in this cable, in order of first appearance.',
    resolve: async (cable, args, context) => pageOf(args, await context.loaders.personsByCable.load(cable.id)),
  }),
);

builder.queryField('persons', (t) =>
  t.connection({
    type: Person,
    description: 'Individuals, most-cited first, optionally filtered.',
    args: { filter: t.arg({ type: PersonFilter, description: 'Conditions on the persons listed.' }) },
    resolve: async (_root, args, context) => {
      const filter = args.filter ?? {};
      const connection = await resolveOffsetConnection({ args, ...PAGE }, ({ offset, limit }) =>
        listPersons(context.db, filter, offset, limit),
      );
      return { ...connection, totalCount: () => countPersons(context.db, filter) };
    },
  }),
);
