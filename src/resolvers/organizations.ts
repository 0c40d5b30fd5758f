// Per-request loaders for organizations.
import DataLoader from 'dataloader';
import type { Kysely } from 'kysely';

import {
  affiliationsOfPersons,
  cableRefsOfOrganizations,
  organizationsByIds,
  organizationsOfCables,
  organizationsOfParagraphs,
  type OrganizationRow,
} from '../db/read-organizations.ts';
import type { Database } from '../db/schema.ts';
import { groupByKey, oneByKey } from './group.ts';
import { paragraphListKey, parseParagraphListKeys } from './paragraphs.ts';

export function organizationLoaders(db: Kysely<Database>) {
  return {
    organizationById: new DataLoader<number, OrganizationRow | null>(async (ids) =>
      oneByKey(ids, await organizationsByIds(db, ids), (o) => o.id),
    ),
    organizationsByCable: new DataLoader<number, OrganizationRow[]>(async (ids) =>
      groupByKey(ids, await organizationsOfCables(db, ids), (o) => o.cable_id),
    ),
    /** Keyed by paragraphListKey. */
    organizationsByParagraph: new DataLoader<string, OrganizationRow[]>(async (keys) =>
      groupByKey(keys, await organizationsOfParagraphs(db, parseParagraphListKeys(keys)), (o) =>
        paragraphListKey({ cable_id: o.cable_id, position: o.paragraph }),
      ),
    ),
    cableRefsByOrganization: new DataLoader<number, string[]>(async (ids) =>
      groupByKey(ids, await cableRefsOfOrganizations(db, ids), (r) => r.organization_id).map((rows) => rows.map((r) => r.ref)),
    ),
    /** A person's organizations, each with `evidence`: how many cables tie the two. */
    affiliationsByPerson: new DataLoader<number, (OrganizationRow & { evidence: number })[]>(async (ids) =>
      groupByKey(ids, await affiliationsOfPersons(db, ids), (o) => o.person_id),
    ),
  };
}
