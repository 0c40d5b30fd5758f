// The officials of a cable's header: who signed it and who classified it, as written and as the
// individuals of the graph they are (each is a person of the cable, with a mention at the signature
// or on the Classified By line: extraction reads the official, ingest adds the signers).
import type { CableHeaderRow } from '../db/read-cables.ts';
import type { CableOfficialNames } from '../resolvers/persons.ts';
import { builder } from './builder.ts';
import { cableHeader } from './cable.ts';
import { Cable } from './cable-ref.ts';
import { pageOf } from './pages.ts';
import { Person } from './person.ts';

interface OfficialShape {
  name: string;
  title: string | null;
  names: CableOfficialNames;
}

function officialNames(cable: CableHeaderRow): CableOfficialNames {
  return { cableId: cable.id, signers: cable.signers, classifiedBy: cable.classified_by_name };
}

export const Official = builder.objectRef<OfficialShape>('Official').implement({
  description: 'An official named in a cable header, with the title given there.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name as written.' }),
    title: t.exposeString('title', { nullable: true, description: 'The title or role given with the name.' }),
    person: t.field({
      type: Person,
      nullable: true,
      description: 'The individual of the graph this official is; null when no person of the cable answers to the name.',
      resolve: async (official, _args, context) => (await context.loaders.officialsByCable.load(official.names)).classifiedBy,
    }),
  }),
});

builder.objectFields(Cable, (t) => ({
  classifiedBy: t.field({
    type: Official,
    nullable: true,
    description: 'The official of the "Classified By" line.',
    resolve: async (cable, _args, context) => {
      const header = await cableHeader(cable, context);
      return header.classified_by_name
        ? { name: header.classified_by_name, title: header.classified_by_title, names: officialNames(header) }
        : null;
    },
  }),
  signerNames: t.stringList({
    description: 'Names that sign the cable, as written ("CELLUCCI").',
    resolve: async (cable, _args, context) => (await cableHeader(cable, context)).signers,
  }),
  signers: t.connection({
    type: Person,
    description: 'The individuals who sign the cable, in signature order; a name no person of the cable answers to is left out.',
    resolve: async (cable, args, context) =>
      pageOf(args, (await context.loaders.officialsByCable.load(officialNames(await cableHeader(cable, context)))).signers),
  }),
}));
