// The format writers on a made-up graph: each output parses, values survive the round trip, and
// nodes are pulled only as fast as the output drains.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';

import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';

import { writeCsv } from '../../src/export/csv.ts';
import { writeGexf } from '../../src/export/gexf.ts';
import { EDGE_ATTRIBUTES, globalId, NODE_ATTRIBUTES, type Graph, type GraphEdge, type GraphNode } from '../../src/export/graph.ts';
import { writeGraphml } from '../../src/export/graphml.ts';
import { writeNdjson } from '../../src/export/ndjson.ts';
import { hasNetworkx, loadWithNetworkx } from './helpers.ts';

const TRICKY = [`Jean "le patron" <Chrétien> & fils`, "Conor O'Brien, Jr.", 'Zoë Ñúñez\nsecond line; tab\there', 'Canada 🇨🇦 > all'];

function node(index: number, label: string): GraphNode {
  return {
    id: globalId('PERSON', String(index + 1)),
    label,
    attributes: {
      kind: 'PERSON',
      key: String(index + 1),
      countryCode: index % 2 ? 'CA' : null,
      category: null,
      cableCount: index + 1,
      mentionCount: 10 * (index + 1),
      firstDate: '2003-03-12',
      lastDate: null,
      description: label,
      date: null,
      classification: null,
      origin: null,
    },
  };
}

const nodes = TRICKY.map((label, index) => node(index, label));
const edges: GraphEdge[] = [
  {
    id: 'PERSON_PERSON/1/2',
    source: nodes[0]!.id,
    target: nodes[1]!.id,
    weight: 3,
    attributes: { kind: 'PERSON_PERSON', paragraphs: 2, cables: 3 },
  },
  {
    id: 'PERSON_PERSON/3/4',
    source: nodes[2]!.id,
    target: nodes[3]!.id,
    weight: 1,
    attributes: { kind: 'PERSON_PERSON', paragraphs: 0, cables: 1 },
  },
];

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

function graph(nodeList: AsyncIterable<GraphNode> = from(nodes), edgeList: AsyncIterable<GraphEdge> = from(edges)): Graph {
  return {
    description: 'a <test> & "graph"',
    nodeAttributes: NODE_ATTRIBUTES,
    edgeAttributes: EDGE_ATTRIBUTES,
    nodes: nodeList,
    edges: edgeList,
  };
}

async function collect(write: (out: NodeJS.WritableStream) => Promise<void>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(out);
  return Buffer.concat(chunks).toString('utf8');
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Numeric character references (&#10;) too, as a conforming XML parser decodes them.
  htmlEntities: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ['node', 'edge', 'data', 'attvalue', 'key', 'attribute'].includes(name),
});

const dir = mkdtempSync(join(tmpdir(), 'cablegraph-writers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GraphML', () => {
  it('is well-formed, declares typed keys, and keeps every character', async () => {
    const text = await collect((out) => writeGraphml(graph(), out));
    expect(XMLValidator.validate(text)).toBe(true);
    const root = xml.parse(text).graphml;
    const keys = root.key as { id: string; for: string; 'attr.name': string; 'attr.type': string }[];
    expect(keys.find((key) => key['attr.name'] === 'cableCount')).toMatchObject({ for: 'node', 'attr.type': 'int' });
    expect(keys.find((key) => key['attr.name'] === 'label')).toMatchObject({ for: 'node', 'attr.type': 'string' });
    expect(keys.find((key) => key['attr.name'] === 'weight')).toMatchObject({ for: 'edge', 'attr.type': 'int' });
    const labelKey = keys.find((key) => key['attr.name'] === 'label' && key.for === 'node')!.id;
    const parsed = root.graph.node as { id: string; data: { key: string; '#text': string }[] }[];
    expect(parsed.map((n) => n.id)).toEqual(nodes.map((n) => n.id));
    expect(parsed.map((n) => n.data.find((d) => d.key === labelKey)!['#text'])).toEqual(TRICKY);
    expect(root.graph.edge).toHaveLength(2);
    // Absent attributes are left out rather than written empty.
    expect(parsed[0]!.data.some((d) => d.key.endsWith('countryCode'))).toBe(false);
  });

  it('drops the characters XML cannot carry', async () => {
    const text = await collect((out) => writeGraphml(graph(from([node(0, 'bell\u0007 and NUL\u0000 gone')]), from([])), out));
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).toContain('bell and NUL gone');
  });

  it.skipIf(!hasNetworkx)('loads in networkx with ints as ints', async () => {
    const path = join(dir, 'graph.graphml');
    writeFileSync(path, await collect((out) => writeGraphml(graph(), out)));
    const loaded = loadWithNetworkx(path, 'graphml');
    expect(Object.keys(loaded.nodes)).toEqual(nodes.map((n) => n.id));
    expect(Object.values(loaded.nodes).map((n) => n.label)).toEqual(TRICKY);
    expect(loaded.nodes[nodes[1]!.id]).toMatchObject({ cableCount: 2, mentionCount: 20, countryCode: 'CA', kind: 'PERSON' });
    expect(loaded.edges).toHaveLength(2);
    expect(loaded.edges[0]![2]).toMatchObject({ weight: 3, paragraphs: 2, cables: 3, kind: 'PERSON_PERSON' });
  });
});

describe('GEXF', () => {
  it('is well-formed GEXF 1.3 with declared attributes, labels and weights', async () => {
    const text = await collect((out) => writeGexf(graph(), out, { today: '2024-01-02' }));
    expect(XMLValidator.validate(text)).toBe(true);
    const root = xml.parse(text).gexf;
    expect(root).toMatchObject({ xmlns: 'http://gexf.net/1.3', version: '1.3' });
    expect(root.meta.lastmodifieddate).toBe('2024-01-02');
    expect(root.meta.description).toBe('a <test> & "graph"');
    const [nodeAttributes, edgeAttributes] = root.graph.attributes as { class: string; attribute: { id: string; type: string }[] }[];
    expect(nodeAttributes!.class).toBe('node');
    expect(nodeAttributes!.attribute.find((a) => a.id === 'mentionCount')!.type).toBe('integer');
    expect(edgeAttributes!.attribute.map((a) => a.id)).toEqual(['kind', 'paragraphs', 'cables']);
    const parsed = root.graph.nodes.node as { id: string; label: string; attvalues: { attvalue: { for: string; value: string }[] } }[];
    expect(parsed.map((n) => n.label)).toEqual(TRICKY);
    expect(parsed[0]!.attvalues.attvalue.find((v) => v.for === 'description')!.value).toBe(TRICKY[0]);
    const parsedEdges = root.graph.edges.edge as { source: string; target: string; weight: string }[];
    expect(parsedEdges.map((e) => [e.source, e.target, e.weight])).toEqual(edges.map((e) => [e.source, e.target, String(e.weight)]));
  });

  it.skipIf(!hasNetworkx)('loads in networkx', async () => {
    const path = join(dir, 'graph.gexf');
    writeFileSync(path, await collect((out) => writeGexf(graph(), out)));
    const loaded = loadWithNetworkx(path, 'gexf');
    expect(Object.values(loaded.nodes).map((n) => n.label)).toEqual(TRICKY);
    expect(loaded.nodes[nodes[3]!.id]).toMatchObject({ cableCount: 4, countryCode: 'CA' });
    expect(loaded.edges.map((e) => e[2].weight)).toEqual([3, 1]);
  });
});

describe('NDJSON', () => {
  it('writes one object per node, then per edge, without absent attributes', async () => {
    const lines = (await collect((out) => writeNdjson(graph(), out))).split('\n');
    expect(lines.pop()).toBe('');
    const objects = lines.map((line) => JSON.parse(line));
    expect(objects.map((o) => o.type)).toEqual(['node', 'node', 'node', 'node', 'edge', 'edge']);
    expect(objects.slice(0, 4).map((o) => o.label)).toEqual(TRICKY);
    expect(objects[0]).not.toHaveProperty('countryCode');
    expect(objects[1]).toMatchObject({ id: nodes[1]!.id, countryCode: 'CA', cableCount: 2 });
    expect(objects[4]).toEqual({
      type: 'edge',
      id: 'PERSON_PERSON/1/2',
      source: nodes[0]!.id,
      target: nodes[1]!.id,
      weight: 3,
      kind: 'PERSON_PERSON',
      paragraphs: 2,
      cables: 3,
    });
  });
});

describe('CSV', () => {
  it('writes a node table and an edge table that parse back to the same values', async () => {
    const nodesOut = new PassThrough();
    const edgesOut = new PassThrough();
    const texts = { nodes: '', edges: '' };
    nodesOut.on('data', (chunk) => (texts.nodes += chunk));
    edgesOut.on('data', (chunk) => (texts.edges += chunk));
    await writeCsv(graph(), { nodes: nodesOut, edges: edgesOut });
    const nodeRows = parseCsv(texts.nodes, { columns: true }) as Record<string, string>[];
    expect(nodeRows.map((row) => row.label)).toEqual(TRICKY);
    expect(nodeRows.map((row) => row.description)).toEqual(TRICKY);
    expect(Object.keys(nodeRows[0]!)).toEqual(['id', 'label', ...NODE_ATTRIBUTES.map((a) => a.name)]);
    expect(nodeRows[1]).toMatchObject({ id: nodes[1]!.id, countryCode: 'CA', cableCount: '2', lastDate: '' });
    const edgeRows = parseCsv(texts.edges, { columns: true }) as Record<string, string>[];
    expect(edgeRows).toEqual([
      {
        id: 'PERSON_PERSON/1/2',
        source: nodes[0]!.id,
        target: nodes[1]!.id,
        weight: '3',
        kind: 'PERSON_PERSON',
        paragraphs: '2',
        cables: '3',
      },
      {
        id: 'PERSON_PERSON/3/4',
        source: nodes[2]!.id,
        target: nodes[3]!.id,
        weight: '1',
        kind: 'PERSON_PERSON',
        paragraphs: '0',
        cables: '1',
      },
    ]);
  });
});

describe('streaming', () => {
  const TOTAL = 50_000;
  async function* many(progress: { produced: number }): AsyncGenerator<GraphNode> {
    for (let i = 0; i < TOTAL; i++) {
      progress.produced++;
      yield { ...node(i, `Person number ${i}`), attributes: {} };
    }
  }

  for (const [name, write] of [
    ['graphml', writeGraphml],
    ['gexf', writeGexf],
    ['ndjson', writeNdjson],
  ] as const) {
    it(`${name}: pulls nodes only as fast as a slow output drains`, async () => {
      const progress = { produced: 0 };
      let written = 0;
      let maxAhead = 0;
      const slow = new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _encoding, callback) {
          written += (chunk.toString().match(/Person number/g) ?? []).length;
          maxAhead = Math.max(maxAhead, progress.produced - written);
          setImmediate(callback);
        },
      });
      await write(graph(many(progress), from([])), slow);
      expect(written).toBe(TOTAL);
      // A few 64 KiB chunks in flight, never the whole graph.
      expect(maxAhead).toBeLessThan(TOTAL / 10);
    });
  }
});
