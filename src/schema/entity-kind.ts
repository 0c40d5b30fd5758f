// The kinds of thing the graph connects, shared by the fields that mix them (topEntities,
// neighborhood, path, export).
import { builder } from './builder.ts';

export type EntityKindValue = 'PERSON' | 'ORGANIZATION' | 'COUNTRY' | 'TOPIC' | 'CABLE';

export const EntityKind = builder.enumType('EntityKind', {
  description: 'A kind of node in the graph.',
  values: {
    PERSON: { description: 'An individual, resolved across cables.' },
    ORGANIZATION: { description: 'A ministry, agency, party, company or other organization.' },
    COUNTRY: { description: 'A country, by ISO 3166 code.' },
    TOPIC: { description: 'A TAGS code with its meaning.' },
    CABLE: { description: 'A cable.' },
  } as const,
});
