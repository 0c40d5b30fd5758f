// GraphML (graphml.graphdrawing.org): typed <key> declarations, so that networkx.read_graphml and
// Gephi give ints back as ints. An attribute a node lacks is left out, not written empty.
import type { AttributeDefinition, Graph } from './graph.ts';
import { writeText, type WriteOptions } from './output.ts';
import { XML_DECLARATION, xmlText } from './xml.ts';

const GRAPHML_TYPE = { string: 'string', int: 'int' } as const;

function keyId(scope: 'node' | 'edge', name: string): string {
  return `${scope === 'node' ? 'n' : 'e'}_${name}`;
}

function keyDeclaration(scope: 'node' | 'edge', attribute: AttributeDefinition): string {
  return (
    `  <key id="${keyId(scope, attribute.name)}" for="${scope}" attr.name="${xmlText(attribute.name)}" attr.type="${GRAPHML_TYPE[attribute.type]}">` +
    `<desc>${xmlText(attribute.description)}</desc></key>\n`
  );
}

function data(scope: 'node' | 'edge', attributes: readonly AttributeDefinition[], values: Record<string, unknown>): string {
  let text = '';
  for (const attribute of attributes) {
    const value = values[attribute.name];
    if (value == null) continue;
    text += `<data key="${keyId(scope, attribute.name)}">${xmlText(value as string | number)}</data>`;
  }
  return text;
}

async function* graphml(graph: Graph): AsyncGenerator<string> {
  const nodeAttributes: AttributeDefinition[] = [{ name: 'label', type: 'string', description: 'name to show' }, ...graph.nodeAttributes];
  const edgeAttributes: AttributeDefinition[] = [
    { name: 'weight', type: 'int', description: 'the chosen weight' },
    ...graph.edgeAttributes,
  ];
  yield XML_DECLARATION;
  yield (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
  );
  yield `  <desc>${xmlText(graph.description)}</desc>\n`;
  for (const attribute of nodeAttributes) yield keyDeclaration('node', attribute);
  for (const attribute of edgeAttributes) yield keyDeclaration('edge', attribute);
  yield '  <graph id="cablegraph" edgedefault="undirected">\n';
  for await (const node of graph.nodes) {
    yield `    <node id="${xmlText(node.id)}">${data('node', nodeAttributes, { label: node.label, ...node.attributes })}</node>\n`;
  }
  for await (const edge of graph.edges) {
    yield (
      `    <edge id="${xmlText(edge.id)}" source="${xmlText(edge.source)}" target="${xmlText(edge.target)}">` +
      `${data('edge', edgeAttributes, { weight: edge.weight, ...edge.attributes })}</edge>\n`
    );
  }
  yield '  </graph>\n</graphml>\n';
}

export function writeGraphml(graph: Graph, out: NodeJS.WritableStream, options?: WriteOptions): Promise<void> {
  return writeText(graphml(graph), out, options);
}
