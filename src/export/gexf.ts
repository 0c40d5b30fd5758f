// GEXF 1.3 (gexf.net), Gephi's own format: declared attributes, native node labels and edge
// weights. An attribute a node lacks is left out of its <attvalues>.

import type { AttributeDefinition, AttributeValue, Graph } from './graph.ts';
import { writeText, type WriteOptions } from './output.ts';
import { XML_DECLARATION, xmlText } from './xml.ts';

const GEXF_TYPE = { string: 'string', int: 'integer' } as const;

function declarations(scope: 'node' | 'edge', attributes: readonly AttributeDefinition[]): string {
  let text = `    <attributes class="${scope}" mode="static">\n`;
  for (const attribute of attributes) {
    text += `      <attribute id="${xmlText(attribute.name)}" title="${xmlText(attribute.name)}" type="${GEXF_TYPE[attribute.type]}"/>\n`;
  }
  return text + '    </attributes>\n';
}

function attvalues(attributes: readonly AttributeDefinition[], values: Record<string, AttributeValue>): string {
  let text = '';
  for (const attribute of attributes) {
    const value = values[attribute.name];
    if (value == null) continue;
    text += `<attvalue for="${xmlText(attribute.name)}" value="${xmlText(value)}"/>`;
  }
  return text ? `<attvalues>${text}</attvalues>` : '';
}

async function* gexf(graph: Graph, today: string): AsyncGenerator<string> {
  yield XML_DECLARATION;
  yield (
    '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n'
  );
  yield `  <meta lastmodifieddate="${today}"><creator>Cablegraph</creator><description>${xmlText(graph.description)}</description></meta>\n`;
  yield '  <graph defaultedgetype="undirected" mode="static">\n';
  yield declarations('node', graph.nodeAttributes);
  yield declarations('edge', graph.edgeAttributes);
  yield '    <nodes>\n';
  for await (const node of graph.nodes) {
    yield `      <node id="${xmlText(node.id)}" label="${xmlText(node.label)}">${attvalues(graph.nodeAttributes, node.attributes)}</node>\n`;
  }
  yield '    </nodes>\n    <edges>\n';
  for await (const edge of graph.edges) {
    yield (
      `      <edge id="${xmlText(edge.id)}" source="${xmlText(edge.source)}" target="${xmlText(edge.target)}" weight="${edge.weight}">` +
      `${attvalues(graph.edgeAttributes, edge.attributes)}</edge>\n`
    );
  }
  yield '    </edges>\n  </graph>\n</gexf>\n';
}

export function writeGexf(graph: Graph, out: NodeJS.WritableStream, options?: WriteOptions & { today?: string }): Promise<void> {
  const today = options?.today ?? new Date().toISOString().slice(0, 10);
  return writeText(gexf(graph, today), out, options);
}
