// The export tests' fixture cables, and loading an export with networkx where python3 has it
// (what a notebook would do).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Two small cables written for these tests (2005 Paris, 2006 Berlin), besides the seeds (2003 Ottawa). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/export', import.meta.url));

export const hasNetworkx = spawnSync('python3', ['-c', 'import networkx'], { stdio: 'ignore' }).status === 0;

export interface LoadedGraph {
  nodes: Record<string, Record<string, unknown>>;
  edges: [string, string, Record<string, unknown>][];
}

/** The graph networkx reads from a GraphML or GEXF file, as JSON. */
export function loadWithNetworkx(path: string, format: 'graphml' | 'gexf'): LoadedGraph {
  const read = format === 'graphml' ? 'nx.read_graphml(path)' : "nx.read_gexf(path, version='1.3')";
  const script = `
import json, sys
import networkx as nx
path = sys.argv[1]
g = ${read}
json.dump({"nodes": {n: d for n, d in g.nodes(data=True)}, "edges": [[u, v, d] for u, v, d in g.edges(data=True)]}, sys.stdout)
`;
  const result = spawnSync('python3', ['-c', script, path], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`networkx could not load ${path}: ${result.stderr}`);
  return JSON.parse(result.stdout) as LoadedGraph;
}
