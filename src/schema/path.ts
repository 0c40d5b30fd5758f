// How two entities are connected: the shortest chains of co-mention between them, with a cable
// (and a paragraph) as evidence for every step.
import { entityDetails, entityKey, type EntityKey } from '../db/read-graph.ts';
import { PATH_LIMITS, shortestPaths, type PathRow, type PathStepRow } from '../db/read-paths.ts';
import { builder } from './builder.ts';
import { Cable } from './cable-ref.ts';
import { EntityKind } from './entity-kind.ts';
import { ERROR_CODES, userError } from './errors.ts';
import { entityOfGlobalId, graphKindsOf, nodeIdOf, type GraphEntity } from './graph-entity.ts';
import { Paragraph } from './paragraph.ts';

type StepShape = Omit<PathStepRow, 'from' | 'to'> & { from: GraphEntity; to: GraphEntity };
type PathShape = Omit<PathRow, 'nodes' | 'steps'> & { nodes: GraphEntity[]; steps: StepShape[] };

const PathStep = builder.objectRef<StepShape>('PathStep').implement({
  description: 'One step of a chain: two entities named together, with a cable naming both as evidence.',
  fields: (t) => ({
    from: t.node({ description: 'The entity the step starts from (nearer the start of the chain).', id: (step) => nodeIdOf(step.from) }),
    to: t.node({ description: 'The entity the step leads to.', id: (step) => nodeIdOf(step.to) }),
    cable: t.field({
      type: Cable,
      description:
        'A cable naming both: when they share a paragraph anywhere, the latest written cable where they do; otherwise the latest written cable naming both.',
      resolve: (step) => step.cable.ref,
    }),
    paragraph: t.field({
      type: Paragraph,
      nullable: true,
      description: 'The first paragraph of that cable naming both; null when they are never named in the same paragraph.',
      resolve: (step) => (step.paragraph ? { ...step.paragraph, ref: step.cable.ref } : null),
    }),
    weight: t.exposeInt('cables', { description: 'How many cables name both.' }),
    paragraphs: t.exposeInt('paragraphs', { description: 'How many paragraphs name both (summed over their shared cables).' }),
  }),
});

const Path = builder.objectRef<PathShape>('Path').implement({
  description: 'A chain of co-mentions from one entity to another.',
  fields: (t) => ({
    length: t.int({ description: 'Number of steps.', resolve: (path) => path.steps.length }),
    steps: t.field({
      type: [PathStep],
      description: 'The steps in order, from the first entity to the last.',
      complexity: { field: 1, multiplier: PATH_LIMITS.maxHops },
      resolve: (path) => path.steps,
    }),
    nodes: t.nodeList({
      description: 'The entities along the chain, both ends included.',
      complexity: { field: 1, multiplier: PATH_LIMITS.maxHops + 1 },
      ids: (path) => path.nodes.map(nodeIdOf),
    }),
    weight: t.exposeInt('cables', { description: 'Shared cables summed over the steps.' }),
    paragraphs: t.exposeInt('paragraphs', { description: 'Shared paragraphs summed over the steps.' }),
  }),
});

builder.queryField('path', (t) =>
  t.field({
    type: [Path],
    description:
      'The shortest chains of co-mention from one person, organization or country to another: each step joins two ' +
      'entities named in the same cable. All shortest chains up to ' +
      `${PATH_LIMITS.paths}, strongest first (most shared paragraphs, then cables, summed over the steps); an empty ` +
      'list when there is none within `maxHops`. Found by a breadth-first search from both ends that takes at most ' +
      `${PATH_LIMITS.frontier} entities into each level (the most strongly tied), so a chain through the weakest ` +
      'neighbours of a hub may be missed.',
    args: {
      from: t.arg.id({ required: true, description: 'Global id of a Person, Organization or Country.' }),
      to: t.arg.id({ required: true, description: 'Global id of a Person, Organization or Country.' }),
      maxHops: t.arg.int({ defaultValue: 4, description: `Longest chain to look for, 1 to ${PATH_LIMITS.maxHops} steps.` }),
      via: t.arg({
        type: [EntityKind],
        defaultValue: ['PERSON'],
        description:
          'Kinds of entity the chain may pass through (its ends may be of any kind). Countries connect to ' +
          'organizations only, so a chain from a country needs ORGANIZATION here.',
      }),
    },
    complexity: { field: 1, multiplier: PATH_LIMITS.paths },
    resolve: async (_root, args, context) => {
      const maxHops = args.maxHops ?? 4;
      if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > PATH_LIMITS.maxHops) {
        throw userError(ERROR_CODES.badUserInput, `maxHops must be between 1 and ${PATH_LIMITS.maxHops} (got ${maxHops})`, {
          argument: 'maxHops',
        });
      }
      const via = graphKindsOf(args.via ?? ['PERSON'], 'via');
      const from = await entityOfGlobalId(context, String(args.from), 'from');
      const to = await entityOfGlobalId(context, String(args.to), 'to');
      if (!from || !to) return [];
      const paths = await shortestPaths(context.db, from, to, { maxHops, via });
      return withCodes(context.db, paths);
    },
  }),
);

/** The paths with each entity's country code (the id of a Country); none when an end does not exist. */
async function withCodes(db: Parameters<typeof entityDetails>[0], paths: PathRow[]): Promise<PathShape[]> {
  if (paths.length === 0) return [];
  const details = new Map(
    (
      await entityDetails(
        db,
        paths.flatMap((path) => path.nodes),
      )
    ).map((d) => [entityKey(d), d]),
  );
  const entity = (key: EntityKey): GraphEntity => ({ ...key, code: details.get(entityKey(key))?.code ?? null });
  if (!paths.every((path) => path.nodes.every((node) => details.has(entityKey(node))))) return [];
  return paths.map((path) => ({
    ...path,
    nodes: path.nodes.map(entity),
    steps: path.steps.map((step) => ({ ...step, from: entity(step.from), to: entity(step.to) })),
  }));
}
