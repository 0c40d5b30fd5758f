// The entities the co-mention graph connects (persons, organizations, countries) as the API names
// them: global ids in and out, EntityKind values, and the Node each one is.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';

import { countryIdsByCodes, ENTITY_KIND, type EntityKey } from '../db/read-graph.ts';
import type { Context } from '../resolvers/context.ts';
import type { EntityKindValue } from './entity-kind.ts';
import { ERROR_CODES, userError } from './errors.ts';
import { Country } from './country.ts';
import { Organization } from './organization.ts';
import { Person } from './person.ts';

/** An entity with what its global id needs: a country's id is its ISO code. */
export interface GraphEntity extends EntityKey {
  code: string | null;
}

const TYPENAMES: Record<number, string> = {
  [ENTITY_KIND.person]: 'Person',
  [ENTITY_KIND.organization]: 'Organization',
  [ENTITY_KIND.country]: 'Country',
};

const KINDS: Partial<Record<EntityKindValue, number>> = {
  PERSON: ENTITY_KIND.person,
  ORGANIZATION: ENTITY_KIND.organization,
  COUNTRY: ENTITY_KIND.country,
};

export const GRAPH_KINDS: EntityKindValue[] = ['PERSON', 'ORGANIZATION', 'COUNTRY'];

export function entityKindValue(kind: number): EntityKindValue {
  return GRAPH_KINDS.find((value) => KINDS[value] === kind)!;
}

/** The entity kinds of an EntityKind list; BAD_USER_INPUT for kinds the graph does not connect. */
export function graphKindsOf(values: readonly EntityKindValue[], argument: string): number[] {
  return [
    ...new Set(
      values.map((value) => {
        const kind = KINDS[value];
        if (kind === undefined) {
          throw userError(ERROR_CODES.badUserInput, `${argument}: the co-mention graph connects ${GRAPH_KINDS.join(', ')}, not ${value}`, {
            argument,
          });
        }
        return kind;
      }),
    ),
  ];
}

export function entityGlobalId(entity: GraphEntity): string {
  return encodeGlobalID(TYPENAMES[entity.kind]!, entity.kind === ENTITY_KIND.country ? entity.code! : String(entity.id));
}

/**
 * The entity a global id names: INVALID_ID when it does not decode or names something other than
 * a Person, Organization or Country; null when it names a country the graph does not know.
 */
export async function entityOfGlobalId(context: Context, globalId: string, argument: string): Promise<EntityKey | null> {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw userError(ERROR_CODES.invalidId, `${argument}: "${globalId}" is not a global id`, { argument });
  }
  const kind = Object.entries(TYPENAMES).find(([, typename]) => typename === decoded.typename)?.[0];
  if (kind === undefined) {
    throw userError(
      ERROR_CODES.invalidId,
      `${argument}: "${globalId}" is the id of a ${decoded.typename}; the co-mention graph connects persons, organizations and countries`,
      { argument },
    );
  }
  if (Number(kind) === ENTITY_KIND.country) {
    const code = decoded.id.trim().toUpperCase();
    const id = (await countryIdsByCodes(context.db, [code])).get(code);
    return id === undefined ? null : { kind: ENTITY_KIND.country, id };
  }
  // Database ids are 32-bit: nine digits always fit.
  if (!/^\d{1,9}$/.test(decoded.id)) {
    throw userError(ERROR_CODES.invalidId, `${argument}: "${globalId}" does not name a ${decoded.typename}`, { argument });
  }
  return { kind: Number(kind), id: Number(decoded.id) };
}

/** What `t.node` needs to resolve an entity through its own node type's loader. */
export function nodeIdOf(entity: GraphEntity) {
  if (entity.kind === ENTITY_KIND.person) return { type: Person, id: String(entity.id) };
  if (entity.kind === ENTITY_KIND.organization) return { type: Organization, id: String(entity.id) };
  return { type: Country, id: entity.code! };
}
