// The Cable node's ref, separate from its fields so that other types can point at it.
import { builder } from './builder.ts';
import { nodeRows } from './node-rows.ts';
import type { CableRow } from '../db/read-cables.ts';

export const Cable = builder.loadableNodeRef('Cable', {
  id: { resolve: (cable: CableRow) => cable.ref },
  load: (refs: string[], context) => context.loaders.cableByRef.loadMany(refs).then(nodeRows),
});
