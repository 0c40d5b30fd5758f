// `cablegraph export` in-process, against a database the CLI ingested: the seeds plus two small
// fixture cables with accents, apostrophes and XML specials.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';

import { decodeGlobalID } from '@pothos/plugin-relay';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { execute, type Io } from '../../src/cli.ts';
import { openDatabase, optionsFromEnv } from '../../src/db/connect.ts';
import { SEED_DIR } from '../../src/main.ts';
import { createServer } from '../../src/server.ts';
import { databaseKinds } from '../helpers/databases.ts';
import { graphql } from '../helpers/graphql.ts';
import { FIXTURES, hasNetworkx, loadWithNetworkx } from './helpers.ts';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk) => err.push(String(chunk)));
  const streams: Io = { stdin: Readable.from(['']), stdout, stderr };
  return { streams, stdout, out: () => Buffer.concat(out).toString('utf8'), err: () => err.join('') };
}

async function run(args: string[]) {
  const streams = io();
  const code = await execute(args, streams.streams);
  return { code, out: streams.out(), err: streams.err(), stdout: streams.stdout };
}

interface Line {
  type: 'node' | 'edge';
  id: string;
  label?: string;
  source?: string;
  target?: string;
  weight?: number;
  [attribute: string]: unknown;
}

async function ndjson(args: string[] = []) {
  const result = await run(['export', '--format', 'ndjson', '--quiet', ...args]);
  expect(result.code).toBe(0);
  const lines = result.out
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);
  return { nodes: lines.filter((line) => line.type === 'node'), edges: lines.filter((line) => line.type === 'edge'), lines };
}

/** With the CLI's own database closed, a handle of the test's. */
async function withDatabase<T>(work: (handle: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const handle = await openDatabase(optionsFromEnv());
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  htmlEntities: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ['node', 'edge', 'data', 'attvalue'].includes(name),
});

describe.each(databaseKinds)('cablegraph export on %s', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'cablegraph-export-'));
  const previous = { data: process.env.CABLEGRAPH_DATA, url: process.env.DATABASE_URL };
  let dropDatabase: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    if (kind === 'pglite') {
      delete process.env.DATABASE_URL;
      process.env.CABLEGRAPH_DATA = join(dir, 'data');
    } else {
      const admin = previous.url!;
      const name = `cablegraph_export_${process.pid}_${randomBytes(4).toString('hex')}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`create database ${name}`);
      await client.end();
      const url = new URL(admin);
      url.pathname = `/${name}`;
      process.env.DATABASE_URL = url.toString();
      dropDatabase = async () => {
        const cleanup = new pg.Client({ connectionString: admin });
        await cleanup.connect();
        await cleanup.query(`drop database if exists ${name} with (force)`);
        await cleanup.end();
      };
    }
    const ingest = await run(['ingest', '--quiet', SEED_DIR, FIXTURES]);
    expect(ingest.err).toBe('');
    expect(ingest.code).toBe(0);
  });

  afterAll(async () => {
    await dropDatabase?.();
    for (const [name, value] of [
      ['CABLEGRAPH_DATA', previous.data],
      ['DATABASE_URL', previous.url],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes NDJSON to stdout: one line per stored entity and edge, every edge between nodes written', async () => {
    const result = await run(['export', '--format', 'ndjson']);
    expect(result.code).toBe(0);
    expect(result.stdout.writableEnded).toBe(false);
    const { nodes, edges, lines } = await ndjson();
    const stored = await withDatabase(async ({ db }) => {
      const count = async (table: 'person' | 'organization' | 'country' | 'edge') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      return { entities: (await count('person')) + (await count('organization')) + (await count('country')), edges: await count('edge') };
    });
    expect(lines).toHaveLength(stored.entities + stored.edges);
    expect(nodes).toHaveLength(stored.entities);
    expect(result.err).toMatch(new RegExp(`exported ${stored.entities} nodes and ${stored.edges} edges as ndjson to stdout`));
    const ids = new Set(nodes.map((node) => node.id));
    expect(ids.size).toBe(nodes.length);
    for (const edge of edges) expect(ids.has(edge.source!) && ids.has(edge.target!)).toBe(true);
    expect(nodes.map((node) => node.label)).toEqual(expect.arrayContaining(['François Dupré', "Conor O'Brien", 'Angela Merkel']));
  });

  it('names nodes by the global ids the API resolves', async () => {
    const { nodes } = await ndjson(['--include', 'cables']);
    const person = nodes.find((node) => node.label === 'François Dupré')!;
    expect(decodeGlobalID(person.id)).toEqual({ typename: 'Person', id: person.key });
    const cable = nodes.find((node) => node.kind === 'CABLE' && node.key === '05PARIS100')!;
    expect(decodeGlobalID(cable.id)).toEqual({ typename: 'Cable', id: '05PARIS100' });
    expect(decodeGlobalID(nodes.find((node) => node.kind === 'COUNTRY' && node.key === 'DE')!.id)).toEqual({
      typename: 'Country',
      id: 'DE',
    });
    const answer = await withDatabase(({ db }) =>
      graphql(
        createServer({ db }),
        `
          query ($person: ID!, $cable: ID!) {
            person: node(id: $person) {
              id
              ... on Person {
                name
                cableCount
              }
            }
            cable: node(id: $cable) {
              ... on Cable {
                ref
              }
            }
          }
        `,
        {
          person: person.id,
          cable: cable.id,
        },
      ),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data.person).toEqual({ id: person.id, name: 'François Dupré', cableCount: person.cableCount });
    expect(answer.data.cable).toEqual({ ref: '05PARIS100' });
  });

  it('writes GraphML to a file that parses, with the same graph as NDJSON', async () => {
    const path = join(dir, 'graph.graphml');
    const result = await run(['export', '--format', 'graphml', '--out', path, '--quiet']);
    expect(result.code).toBe(0);
    expect(result.out).toBe('');
    expect(readdirSync(dir).filter((name) => name.includes('.part'))).toEqual([]);
    const text = readFileSync(path, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    const graph = xml.parse(text).graphml.graph;
    const reference = await ndjson();
    expect(graph.node.map((node: { id: string }) => node.id)).toEqual(reference.nodes.map((node) => node.id));
    expect(graph.edge).toHaveLength(reference.edges.length);
    if (hasNetworkx) {
      const loaded = loadWithNetworkx(path, 'graphml');
      expect(Object.keys(loaded.nodes)).toHaveLength(reference.nodes.length);
      expect(loaded.edges).toHaveLength(reference.edges.length);
      const dupre = Object.values(loaded.nodes).find((node) => node.label === 'François Dupré')!;
      expect(dupre).toMatchObject({ kind: 'PERSON', cableCount: 2, countryCode: expect.any(String) });
    }
  });

  it('writes GEXF with cables and topics, keeping the special characters of a subject', async () => {
    const path = join(dir, 'graph.gexf');
    expect((await run(['export', '--format', 'gexf', '--out', path, '--include', 'cables,topics', '--quiet'])).code).toBe(0);
    const text = readFileSync(path, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    const graph = xml.parse(text).gexf.graph;
    const reference = await ndjson(['--include', 'cables,topics']);
    expect(graph.nodes.node).toHaveLength(reference.nodes.length);
    expect(graph.edges.edge).toHaveLength(reference.edges.length);
    const paris = graph.nodes.node.find((node: { label: string }) => node.label === '05PARIS100');
    const subject = paris.attvalues.attvalue.find((value: { for: string }) => value.for === 'description').value;
    expect(subject).toBe('FRANCE: TRADE <TALKS> & "QUOTAS" WITH THE ÉLYSÉE');
    expect(reference.nodes.filter((node) => node.kind === 'CABLE')).toHaveLength(4);
    expect(reference.edges.some((edge) => edge.kind === 'CABLE_TOPIC')).toBe(true);
    if (hasNetworkx) {
      const loaded = loadWithNetworkx(path, 'gexf');
      expect(Object.keys(loaded.nodes)).toHaveLength(reference.nodes.length);
      expect(loaded.edges).toHaveLength(reference.edges.length);
      expect(Object.values(loaded.nodes).find((node) => node.label === '05PARIS100')!.description).toBe(subject);
    }
  });

  it('writes CSV tables beside a prefix or into a directory', async () => {
    const reference = await ndjson();
    expect((await run(['export', '--format', 'csv', '--out', join(dir, 'graph.csv'), '--quiet'])).code).toBe(0);
    const nodeRows = parseCsv(readFileSync(join(dir, 'graph.nodes.csv')), { columns: true }) as Record<string, string>[];
    const edgeRows = parseCsv(readFileSync(join(dir, 'graph.edges.csv')), { columns: true }) as Record<string, string>[];
    expect(nodeRows.map((row) => row.id)).toEqual(reference.nodes.map((node) => node.id));
    expect(edgeRows.map((row) => [row.source, row.target, Number(row.weight)])).toEqual(
      reference.edges.map((edge) => [edge.source, edge.target, edge.weight]),
    );
    expect(nodeRows.find((row) => row.label === "Conor O'Brien")).toMatchObject({ kind: 'PERSON', cableCount: '2' });

    const tables = join(dir, 'tables');
    mkdirSync(tables);
    expect((await run(['export', '--format', 'csv', '--out', tables, '--from', '2006-01-01', '--quiet'])).code).toBe(0);
    expect(readdirSync(tables).sort()).toEqual(['edges.csv', 'nodes.csv']);
    const sliced = parseCsv(readFileSync(join(tables, 'nodes.csv')), { columns: true }) as Record<string, string>[];
    expect(sliced.length).toBeGreaterThan(0);
    expect(sliced.length).toBeLessThan(nodeRows.length);
  });

  it('narrows to a slice with cable filters and a minimum weight', async () => {
    const whole = await ndjson();
    const recent = await ndjson(['--from', '2005-01-01', '--to', '2006-12-31']);
    const labels = recent.nodes.map((node) => node.label);
    expect(labels).toEqual(expect.arrayContaining(['François Dupré', 'Angela Merkel', 'Germany']));
    expect(labels).not.toContain('Jean Chretien');
    expect(recent.nodes.length).toBeLessThan(whole.nodes.length);
    const ids = new Set(recent.nodes.map((node) => node.id));
    for (const edge of recent.edges) expect(ids.has(edge.source!) && ids.has(edge.target!)).toBe(true);
    // Counts within the slice: Dupré is in both recent cables, O'Brien's weight with him is 2.
    expect(recent.nodes.find((node) => node.label === 'François Dupré')).toMatchObject({ cableCount: 2 });

    const berlin = await ndjson(['--topic', 'etrd']);
    expect(berlin.nodes.map((node) => node.label)).toContain('Angela Merkel');
    expect(berlin.nodes.map((node) => node.label)).not.toContain('Jane Doe');

    const bundestag = await ndjson(['--text', 'bundestag', '--origin', 'nowhere']);
    expect(bundestag.lines).toEqual([]);
    const debated = await ndjson(['--text', 'bundestag debate']);
    expect(debated.nodes.map((node) => node.label)).toContain('Angela Merkel');
    expect(debated.nodes.map((node) => node.label)).not.toContain('Jane Doe');

    const strong = await ndjson(['--min-weight', '2']);
    expect(strong.edges.length).toBeGreaterThan(0);
    expect(strong.edges.every((edge) => edge.weight! >= 2)).toBe(true);
    expect(strong.edges).toEqual(whole.edges.filter((edge) => edge.weight! >= 2));

    const byParagraphs = await ndjson(['--min-weight', '2', '--weight', 'paragraphs']);
    expect(byParagraphs.edges.every((edge) => edge.weight === edge.paragraphs && edge.weight! >= 2)).toBe(true);
  });

  it('stops quietly when the reader of stdout goes away, and fails on other write errors', async () => {
    for (const [code, exit] of [
      ['EPIPE', 0],
      ['EIO', 2],
    ] as const) {
      const err: string[] = [];
      const stderr = new PassThrough();
      stderr.on('data', (chunk) => err.push(String(chunk)));
      let writes = 0;
      const stdout = new Writable({
        write(_chunk, _encoding, callback) {
          writes++;
          callback(Object.assign(new Error(`write ${code}`), { code }));
        },
      });
      stdout.on('error', () => {});
      expect(await execute(['export', '--format', 'ndjson'], { stdin: Readable.from(['']), stdout, stderr })).toBe(exit);
      expect(writes).toBe(1);
      expect(err.join('')).toBe(exit ? `cablegraph: write ${code}\n` : '');
    }
  });

  it('exits 2 on usage errors and leaves no partial file when the export fails', async () => {
    expect((await run(['export', '--format', 'xml'])).code).toBe(2);
    expect((await run(['export'])).code).toBe(2);
    const csv = await run(['export', '--format', 'csv']);
    expect(csv.code).toBe(2);
    expect(csv.err).toContain('needs --out');
    expect((await run(['export', '--format', 'ndjson', '--from', '2005-13-01'])).code).toBe(2);
    expect((await run(['export', '--format', 'ndjson', '--include', 'people'])).code).toBe(2);
    expect((await run(['export', '--format', 'ndjson', '--min-weight', '0'])).code).toBe(2);
    const stopWords = await run(['export', '--format', 'ndjson', '--text', 'the']);
    expect(stopWords.code).toBe(2);
    expect(stopWords.err).toContain('no searchable word');
    const missing = await run(['export', '--format', 'graphml', '--out', join(dir, 'no-such-dir', 'graph.graphml')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no-such-dir');
    const missingCsv = await run(['export', '--format', 'csv', '--out', join(dir, 'no-such-dir', 'graph')]);
    expect(missingCsv.code).toBe(2);
    expect(missingCsv.err).toContain('no-such-dir');
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });

  it('settles first what an ingest killed before its end left unsettled', async () => {
    const before = await ndjson();
    expect(before.edges.length).toBeGreaterThan(0);
    // As a run killed after its last batch leaves it: every cable's evidence still to add.
    await withDatabase(async ({ db }) => {
      await db.deleteFrom('edge').execute();
      await db.insertInto('graph_pending_cable').columns(['cable_id']).expression(db.selectFrom('cable').select('id')).execute();
    });
    const after = await ndjson();
    expect(after.edges).toEqual(before.edges);
    const pending = await withDatabase(({ db }) => db.selectFrom('graph_pending_cable').select('cable_id').execute());
    expect(pending).toEqual([]);
  });
});
