// NDJSON: one JSON object per line, nodes first ({"type":"node",…}) then edges ({"type":"edge",…}),
// for pandas.read_json(lines=True), jq and line-at-a-time loaders. Absent attributes are omitted.

import type { AttributeValue, Graph } from './graph.ts';
import { writeText, type WriteOptions } from './output.ts';

function present(values: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const kept: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(values)) if (value != null) kept[name] = value;
  return kept;
}

async function* ndjson(graph: Graph): AsyncGenerator<string> {
  for await (const node of graph.nodes) {
    yield JSON.stringify({ type: 'node', id: node.id, label: node.label, ...present(node.attributes) }) + '\n';
  }
  for await (const edge of graph.edges) {
    yield (
      JSON.stringify({
        type: 'edge',
        id: edge.id,
        source: edge.source,
        target: edge.target,
        weight: edge.weight,
        ...present(edge.attributes),
      }) + '\n'
    );
  }
}

export function writeNdjson(graph: Graph, out: NodeJS.WritableStream, options?: WriteOptions): Promise<void> {
  return writeText(ndjson(graph), out, options);
}
