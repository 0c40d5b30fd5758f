import { resolveOffsetConnection } from '@pothos/plugin-relay';

import { countOrganizations, listOrganizations, type OrganizationRow } from '../db/read-organizations.ts';
import type { PersonRow } from '../db/read-persons.ts';
import { builder, PAGE } from './builder.ts';
import { nodeRows } from './node-rows.ts';
import { Cable } from './cable-ref.ts';
import { Country, countryOf } from './country.ts';
import { checkOffsetCursors } from './cursor.ts';
import { ERROR_CODES, userError } from './errors.ts';
import { Mention } from './mention.ts';
import { pageOf } from './pages.ts';
import { Person } from './person.ts';

export const OrganizationKind = builder.enumType('OrganizationKind', {
  description: 'What sort of body an organization is.',
  values: {
    MINISTRY: { value: 'ministry', description: 'A government ministry or department.' },
    AGENCY: { value: 'agency', description: 'A government agency or service.' },
    OFFICE: { value: 'office', description: "An office (a head of government's office, a council's secretariat)." },
    LEGISLATURE: { value: 'legislature', description: 'A parliament, chamber or committee of one.' },
    PARTY: { value: 'party', description: 'A political party.' },
    INTERNATIONAL: { value: 'international', description: 'An international organization or one of its bodies.' },
    MILITARY: { value: 'military', description: 'Armed forces, a service or a unit.' },
    COMPANY: { value: 'company', description: 'A company.' },
    MEDIA: { value: 'media', description: 'A newspaper, broadcaster or news agency.' },
    NGO: { value: 'ngo', description: 'A non-governmental organization.' },
    OTHER: { value: 'other', description: 'Anything else.' },
  } as const,
});

// Global id: the organization's database id.
export const Organization = builder.loadableNodeRef('Organization', {
  id: {
    resolve: (organization: OrganizationRow) => String(organization.id),
    parse: (id) => {
      if (!/^\d{1,9}$/.test(id)) throw userError(ERROR_CODES.invalidId, `"${id}" does not name an organization`);
      return id;
    },
  },
  load: (ids: string[], context) => context.loaders.organizationById.loadMany(ids.map(Number)).then(nodeRows),
});

const OrganizationFilter = builder.inputType('OrganizationFilter', {
  description: 'Conditions an organization must meet; all given conditions apply.',
  fields: (t) => ({
    name: t.string({ description: 'Part of a name or alias, case-insensitive ("privy").' }),
    country: t.string({ description: 'Its country: ISO code ("CA") or English name.' }),
    kind: t.field({ type: OrganizationKind, description: 'What sort of body it is.' }),
  }),
});

Organization.implement({
  description: 'A ministry, agency, party, company or other organization named in the cables, resolved across them.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The fullest name the cables give ("Privy Council Office").' }),
    aliases: t.exposeStringList('aliases', { description: 'Other forms the cables use (acronyms: "PCO").' }),
    kind: t.field({
      type: OrganizationKind,
      description: 'What sort of body it is.',
      resolve: (organization) => organization.kind as typeof OrganizationKind.$inferType,
    }),
    country: t.field({
      type: Country,
      nullable: true,
      description: 'The country it belongs to; null for international bodies and when unknown.',
      resolve: (organization) => countryOf(organization),
    }),
    cableCount: t.exposeInt('cable_count', { description: 'How many cables name it.' }),
    mentionCount: t.exposeInt('mention_count', { description: 'How many times the cables name it.' }),
    cables: t.connection({
      type: Cable,
      description: 'Cables naming it, oldest first.',
      resolve: async (organization, args, context) => pageOf(args, await context.loaders.cableRefsByOrganization.load(organization.id)),
    }),
    members: t.connection(
      {
        type: Person,
        description:
          'Individuals the cables tie to it in the text ("PCO\'s Rob Fonberg", "Foreign Affairs Assistant Deputy Minister Jim Wright"), best ' +
          'attested first; being named near it does not count. The reverse of Person.affiliations.',
        resolve: async (organization, args, context) => pageOf(args, await context.loaders.membersByOrganization.load(organization.id)),
      },
      {},
      {
        fields: (edge) => ({
          cableCount: edge.int({
            description: 'How many cables tie this person to the organization.',
            resolve: (item) => (item.node as PersonRow & { evidence: number }).evidence,
          }),
        }),
      },
    ),
    mentions: t.connection({
      type: Mention,
      description: 'Each time the cables name it, oldest cable first, in text order within a cable.',
      resolve: async (organization, args, context) => pageOf(args, await context.loaders.mentionsByOrganization.load(organization.id)),
    }),
  }),
});

builder.objectField(Cable, 'organizations', (t) =>
  t.connection({
    type: Organization,
    description: 'Organizations named in this cable, in order of first appearance.',
    resolve: async (cable, args, context) => pageOf(args, await context.loaders.organizationsByCable.load(cable.id)),
  }),
);

builder.queryField('organizations', (t) =>
  t.connection({
    type: Organization,
    description: 'Organizations, most-cited first, optionally filtered.',
    args: { filter: t.arg({ type: OrganizationFilter, description: 'Conditions on the organizations listed.' }) },
    resolve: async (_root, args, context) => {
      const filter = { name: args.filter?.name, country: args.filter?.country, kind: args.filter?.kind };
      const connection = await resolveOffsetConnection({ args: checkOffsetCursors(args), ...PAGE }, ({ offset, limit }) =>
        listOrganizations(context.db, filter, offset, limit),
      );
      return { ...connection, totalCount: () => countOrganizations(context.db, filter) };
    },
  }),
);
