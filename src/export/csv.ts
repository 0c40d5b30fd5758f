// CSV: two tables, nodes (id, label, attributes) and edges (id, source, target, weight, attributes),
// quoted by csv-stringify; headers in lower camel case as the API names its fields. Gephi's
// spreadsheet import takes both as they are.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { stringify } from 'csv-stringify';

import { mapAsync, type Graph } from './graph.ts';

export interface CsvOutputs {
  nodes: NodeJS.WritableStream;
  edges: NodeJS.WritableStream;
}

async function writeTable<T>(
  rows: AsyncIterable<T>,
  columns: string[],
  toRecord: (row: T) => Record<string, unknown>,
  out: NodeJS.WritableStream,
) {
  await pipeline(Readable.from(mapAsync(rows, toRecord)), stringify({ header: true, columns, eof: true }), out);
}

/** Writes the node table, then the edge table; ends both streams. */
export async function writeCsv(graph: Graph, outputs: CsvOutputs): Promise<void> {
  const nodeColumns = ['id', 'label', ...graph.nodeAttributes.map((attribute) => attribute.name)];
  const edgeColumns = ['id', 'source', 'target', 'weight', ...graph.edgeAttributes.map((attribute) => attribute.name)];
  await writeTable(graph.nodes, nodeColumns, (node) => ({ id: node.id, label: node.label, ...node.attributes }), outputs.nodes);
  await writeTable(
    graph.edges,
    edgeColumns,
    (edge) => ({ id: edge.id, source: edge.source, target: edge.target, weight: edge.weight, ...edge.attributes }),
    outputs.edges,
  );
}
