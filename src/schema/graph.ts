// Pieces of the co-mention graph as nodes and edges, ready for a graph library: the neighbourhood
// of an entity, and the co-mention network of the cables a filter admits.
import type { CableFilter as CableFilterShape } from '../db/read-cables.ts';
import {
  coMentionNetwork,
  entityDetails,
  entityKey,
  neighbourhood,
  type EdgeRow,
  type EntityDetails,
  type EntityKey,
} from '../db/read-graph.ts';
import { EDGE_KIND } from '../db/write-graph.ts';
import { builder } from './builder.ts';
import { CableFilter, cableFilterOf } from './cable-filter.ts';
import { checkedFirst } from './co-mention.ts';
import { EntityKind } from './entity-kind.ts';
import { ERROR_CODES, userError } from './errors.ts';
import { entityGlobalId, entityKindValue, entityOfGlobalId, GRAPH_KINDS, graphKindsOf, nodeIdOf } from './graph-entity.ts';

export const GRAPH_LIMITS = { maxDepth: 3, maxNodes: 500, maxEdges: 500 } as const;

// Global ids are encoded once per entity, not once per edge end.
type NodeShape = EntityDetails & { depth: number | null; globalId: string };
type EdgeShape = EdgeRow & { sourceId: string; targetId: string };
interface GraphShape {
  nodes: NodeShape[];
  edges: EdgeShape[];
}

type CoMentionKindValue = 'PERSON_PERSON' | 'PERSON_ORGANIZATION' | 'ORGANIZATION_COUNTRY';
const EDGE_KINDS: Record<CoMentionKindValue, number> = {
  PERSON_PERSON: EDGE_KIND.personPerson,
  PERSON_ORGANIZATION: EDGE_KIND.personOrganization,
  ORGANIZATION_COUNTRY: EDGE_KIND.organizationCountry,
};

const EDGE_KIND_VALUES = new Map((Object.keys(EDGE_KINDS) as CoMentionKindValue[]).map((value) => [EDGE_KINDS[value], value]));

const CoMentionKind = builder.enumType('CoMentionKind', {
  description: 'What a co-mention edge joins.',
  values: {
    PERSON_PERSON: { description: 'Two persons named in the same cables.' },
    PERSON_ORGANIZATION: { description: 'A person (source) and an organization (target) named in the same cables.' },
    ORGANIZATION_COUNTRY: { description: 'An organization (source) and a country (target) named in the same cables.' },
  } as const,
});

const GraphNode = builder.objectRef<NodeShape>('GraphNode').implement({
  description: 'An entity of a graph.',
  fields: (t) => ({
    id: t.id({ description: 'Global id of the entity (of a Person, Organization or Country).', resolve: (node) => node.globalId }),
    kind: t.field({ type: EntityKind, description: 'What the entity is.', resolve: (node) => entityKindValue(node.kind) }),
    label: t.exposeString('label', { description: 'Name of the person or organization, English name of the country.' }),
    weight: t.exposeInt('cables', { description: 'How many cables name the entity (in the whole graph).' }),
    depth: t.exposeInt('depth', {
      nullable: true,
      description: 'Steps from the centre of a neighborhood (0 for the centre); null in a co-mention network.',
    }),
    node: t.node({ description: 'The entity itself.', id: (node) => nodeIdOf(node) }),
  }),
});

const GraphEdge = builder.objectRef<EdgeShape>('GraphEdge').implement({
  description: 'Two entities named in the same cables.',
  fields: (t) => ({
    source: t.id({
      description: 'Global id of the source entity (the person of a person-organization edge).',
      resolve: (edge) => edge.sourceId,
    }),
    target: t.id({ description: 'Global id of the target entity.', resolve: (edge) => edge.targetId }),
    kind: t.field({
      type: CoMentionKind,
      description: 'What the edge joins.',
      resolve: (edge) => EDGE_KIND_VALUES.get(edge.kind)!,
    }),
    weight: t.exposeInt('cables', { description: 'How many cables name both.' }),
    paragraphs: t.exposeInt('paragraphs', { description: 'How many paragraphs name both (summed over their shared cables).' }),
  }),
});

const Graph = builder.objectRef<GraphShape>('Graph').implement({
  description: 'A piece of the co-mention graph: entities and the edges among them, for a graph library.',
  fields: (t) => ({
    // Their size is the page `neighborhood` or `coMentionNetwork` asks for, which costs the field already.
    nodes: t.field({
      type: [GraphNode],
      description:
        'The entities: in a neighborhood the centre first, then by level and strength; in a network in the order of their strongest edge.',
      complexity: { field: 1, multiplier: 1 },
      resolve: (graph) => graph.nodes,
    }),
    edges: t.field({
      type: [GraphEdge],
      description: 'The edges, strongest first.',
      complexity: { field: 1, multiplier: 1 },
      resolve: (graph) => graph.edges,
    }),
  }),
});

/** Nodes with their details and edges with their ends' (for global ids); entities gone missing are dropped. */
async function graphOf(
  db: Parameters<typeof entityDetails>[0],
  nodes: (EntityKey & { depth: number | null })[],
  edges: EdgeRow[],
): Promise<GraphShape> {
  const details = new Map((await entityDetails(db, nodes)).map((d) => [entityKey(d), { ...d, globalId: entityGlobalId(d) }]));
  const shaped = nodes.flatMap((node) => {
    const found = details.get(entityKey(node));
    return found ? [{ ...found, depth: node.depth }] : [];
  });
  const withEnds = edges.flatMap((edge) => {
    const sourceId = details.get(entityKey(edge.source))?.globalId;
    const targetId = details.get(entityKey(edge.target))?.globalId;
    return sourceId && targetId ? [{ ...edge, sourceId, targetId }] : [];
  });
  return { nodes: shaped, edges: withEnds };
}

function checkedRange(value: number, argument: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw userError(ERROR_CODES.badUserInput, `${argument} must be between ${min} and ${max} (got ${value})`, { argument });
  }
  return value;
}

builder.queryFields((t) => ({
  neighborhood: t.field({
    type: Graph,
    nullable: true,
    description:
      'An entity and the entities around it, ready for a graph library: its strongest neighbours (most shared ' +
      'paragraphs, then cables), at depth 2 theirs (strongest summed over their ties to depth 1), and so on, nearer ' +
      'levels first, `limit` entities in all; with every edge among them. Every node is reachable from the centre ' +
      'through the edges returned. Null when the entity does not exist.',
    args: {
      id: t.arg.id({ required: true, description: 'Global id of a Person, Organization or Country: the centre.' }),
      depth: t.arg.int({ defaultValue: 1, description: `Steps out from the centre, 1 to ${GRAPH_LIMITS.maxDepth}.` }),
      limit: t.arg.int({
        defaultValue: 200,
        description: `Most entities returned, the centre included (at most ${GRAPH_LIMITS.maxNodes}).`,
      }),
      kinds: t.arg({
        type: [EntityKind],
        defaultValue: GRAPH_KINDS,
        description: 'Kinds of neighbour taken (PERSON, ORGANIZATION, COUNTRY); the centre may be of any of them.',
      }),
    },
    // Checked here too, where the cost is first estimated: a refused size is reported as such, not as cost.
    complexity: (args) => ({ field: 1, multiplier: Math.max(1, checkedRange(args.limit ?? 200, 'limit', 1, GRAPH_LIMITS.maxNodes)) }),
    resolve: async (_root, args, context) => {
      const depth = checkedRange(args.depth ?? 1, 'depth', 1, GRAPH_LIMITS.maxDepth);
      const limit = checkedRange(args.limit ?? 200, 'limit', 1, GRAPH_LIMITS.maxNodes);
      const kinds = graphKindsOf(args.kinds ?? GRAPH_KINDS, 'kinds');
      const centre = await entityOfGlobalId(context, String(args.id), 'id');
      if (!centre) return null;
      const found = await neighbourhood(context.db, centre, { depth, limit, kinds });
      const graph = await graphOf(context.db, found.nodes, found.edges);
      return graph.nodes[0] && entityKey(graph.nodes[0]) === entityKey(centre) ? graph : null;
    },
  }),
  coMentionNetwork: t.field({
    type: Graph,
    description:
      'The strongest co-mention edges (most shared paragraphs, then cables) among the cables a filter admits, with ' +
      'their ends as nodes. Without a filter the counts are over all cables; with one they are counted over the ' +
      'matching cables only.',
    args: {
      filter: t.arg({ type: CableFilter, description: 'Conditions on the cables whose co-mentions count.' }),
      minWeight: t.arg.int({ defaultValue: 1, description: 'Only edges whose ends share at least this many (matching) cables.' }),
      first: t.arg.int({ defaultValue: 100, description: `How many edges, strongest first (at most ${GRAPH_LIMITS.maxEdges}).` }),
      kinds: t.arg({
        type: [CoMentionKind],
        defaultValue: ['PERSON_PERSON', 'PERSON_ORGANIZATION'],
        description: 'Kinds of edge in the network.',
      }),
    },
    complexity: (args) => ({ field: 1, multiplier: Math.max(1, checkedFirst(args.first ?? 100, 'first', GRAPH_LIMITS.maxEdges)) }),
    resolve: async (_root, args, context) => {
      const first = checkedFirst(args.first ?? 100, 'first', GRAPH_LIMITS.maxEdges);
      const filter: CableFilterShape | null = args.filter ? await cableFilterOf(args.filter, context) : null;
      const edgeKinds = [...new Set((args.kinds ?? []).map((kind) => EDGE_KINDS[kind]))];
      const edges = await coMentionNetwork(context.db, { filter, edgeKinds, minCables: args.minWeight ?? 1, first });
      const nodes = new Map<string, EntityKey & { depth: null }>();
      for (const edge of edges) {
        for (const end of [edge.source, edge.target]) nodes.set(entityKey(end), { ...end, depth: null });
      }
      return graphOf(context.db, [...nodes.values()], edges);
    },
  }),
}));
