// Migrations are listed here, not discovered on disk, so that they run the same from source,
// from a bundle and in tests. Names sort in the order they apply.
import type { Migration, MigrationProvider } from 'kysely';

import * as cables from './0001-cables.ts';
import * as graph from './0002-graph.ts';
import * as cableDayIndex from './0003-cable-day-index.ts';
import * as entityIndexes from './0004-entity-indexes.ts';
import * as apiKeys from './0005-api-keys.ts';
import * as portionAccess from './0006-portion-access.ts';
import * as graphPending from './0007-graph-pending.ts';
import * as standaloneNames from './0008-standalone-names.ts';
import * as pendingSurnames from './0009-pending-surnames.ts';
import * as pendingMentions from './0010-pending-mentions.ts';
import * as personCableDates from './0011-person-cable-dates.ts';
import * as cableDays from './0012-cable-days.ts';
import * as pendingEvidenceHalves from './0013-pending-evidence-halves.ts';
import * as surnameFacts from './0014-surname-facts.ts';
import * as writeTuning from './0015-write-tuning.ts';
import * as mentionCableCascade from './0016-mention-cable-cascade.ts';
import * as searchByCableRange from './0017-search-by-cable-range.ts';

const migrations: Record<string, Migration> = {
  '0001-cables': cables,
  '0002-graph': graph,
  '0003-cable-day-index': cableDayIndex,
  '0004-entity-indexes': entityIndexes,
  '0005-api-keys': apiKeys,
  '0006-portion-access': portionAccess,
  '0007-graph-pending': graphPending,
  '0008-standalone-names': standaloneNames,
  '0009-pending-surnames': pendingSurnames,
  '0010-pending-mentions': pendingMentions,
  '0011-person-cable-dates': personCableDates,
  '0012-cable-days': cableDays,
  '0013-pending-evidence-halves': pendingEvidenceHalves,
  '0014-surname-facts': surnameFacts,
  '0015-write-tuning': writeTuning,
  '0016-mention-cable-cascade': mentionCableCascade,
  '0017-search-by-cable-range': searchByCableRange,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
