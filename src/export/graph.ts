// The exported graph as the format writers see it: typed attributes declared up front, then
// nodes and edges as async iterables, so that no writer needs the whole graph in memory.
// Node ids are the API's global ids (Relay: base64 of "Typename:id"), so that a notebook can
// join an export with what the GraphQL API returns.
import { encodeGlobalID } from '@pothos/plugin-relay';

import type { ExportEdgeRow, ExportNodeKind, ExportNodeRow } from '../db/read-export.ts';

export type AttributeType = 'string' | 'int';
export type AttributeValue = string | number | null;

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  description: string;
}

export interface GraphNode {
  id: string;
  label: string;
  attributes: Record<string, AttributeValue>;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  weight: number;
  attributes: Record<string, AttributeValue>;
}

export interface Graph {
  /** Shown in the file's metadata where a format has some. */
  description: string;
  nodeAttributes: readonly AttributeDefinition[];
  edgeAttributes: readonly AttributeDefinition[];
  nodes: AsyncIterable<GraphNode>;
  edges: AsyncIterable<GraphEdge>;
}

/** Node attributes besides id and label; a node lacks those that do not apply to its kind. */
export const NODE_ATTRIBUTES: readonly AttributeDefinition[] = [
  { name: 'kind', type: 'string', description: 'PERSON, ORGANIZATION, COUNTRY, TOPIC or CABLE (the API EntityKind)' },
  { name: 'key', type: 'string', description: 'id within the kind: person or organization number, ISO code, TAGS code, cable ref' },
  { name: 'countryCode', type: 'string', description: 'ISO 3166 alpha-2 code of the country' },
  { name: 'category', type: 'string', description: 'kind of organization, or kind of topic' },
  { name: 'cableCount', type: 'int', description: 'cables naming the entity (within the slice when filtered), or carrying the topic' },
  { name: 'mentionCount', type: 'int', description: 'times the cables name the entity (within the slice when filtered)' },
  { name: 'firstDate', type: 'string', description: 'date of the earliest cable naming the person' },
  { name: 'lastDate', type: 'string', description: 'date of the latest cable naming the person' },
  { name: 'description', type: 'string', description: "a topic's meaning, a cable's subject" },
  { name: 'date', type: 'string', description: "the cable's date" },
  { name: 'classification', type: 'string', description: "the cable's classification" },
  { name: 'origin', type: 'string', description: 'the post that sent the cable' },
];

/** Edge attributes besides source, target and weight. */
export const EDGE_ATTRIBUTES: readonly AttributeDefinition[] = [
  { name: 'kind', type: 'string', description: 'PERSON_PERSON, PERSON_ORGANIZATION, ORGANIZATION_COUNTRY, CABLE_*, TOPIC_*' },
  { name: 'paragraphs', type: 'int', description: 'paragraphs naming both ends (for a cable edge: paragraphs naming the entity)' },
  { name: 'cables', type: 'int', description: 'cables naming both ends (or carrying the topic and naming the entity)' },
];

/** The API's GraphQL type of each node kind. */
const TYPENAMES: Record<ExportNodeKind, string> = {
  PERSON: 'Person',
  ORGANIZATION: 'Organization',
  COUNTRY: 'Country',
  TOPIC: 'Topic',
  CABLE: 'Cable',
};

/** The global id the API gives a node: Person by number, Country by ISO code, Topic by TAGS code, Cable by ref. */
export function globalId(kind: ExportNodeKind, key: string): string {
  return encodeGlobalID(TYPENAMES[kind], key);
}

export function toGraphNode(row: ExportNodeRow): GraphNode {
  return {
    id: globalId(row.kind, row.key),
    label: row.label,
    attributes: {
      kind: row.kind,
      key: row.key,
      countryCode: row.country_code,
      category: row.category,
      cableCount: row.cable_count,
      mentionCount: row.mention_count,
      firstDate: row.first_date,
      lastDate: row.last_date,
      description: row.description,
      date: row.date,
      classification: row.classification,
      origin: row.origin,
    },
  };
}

export function toGraphEdge(row: ExportEdgeRow, weight: 'cables' | 'paragraphs'): GraphEdge {
  return {
    // Each pair is stored once per kind, so kind and ends make a stable id.
    id: `${row.kind}/${row.source_key}/${row.target_key}`,
    source: globalId(row.source_kind, row.source_key),
    target: globalId(row.target_kind, row.target_key),
    weight: row[weight],
    attributes: { kind: row.kind, paragraphs: row.paragraphs, cables: row.cables },
  };
}

/** Maps an async iterable lazily, one item at a time. */
export async function* mapAsync<T, U>(items: AsyncIterable<T>, map: (item: T) => U): AsyncGenerator<U> {
  for await (const item of items) yield map(item);
}
