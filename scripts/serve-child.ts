// `cablegraph serve` as a child process of a benchmark or fault script, ready once /health answers.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

export interface ServeChildOptions {
  /** The CLI to run (bin/cablegraph.js of the checkout, or of a copy of it). */
  cli: string;
  port: number;
  env: NodeJS.ProcessEnv;
  /** More `serve` arguments (`--workers 2`). */
  args?: string[];
  logLevel?: string;
  stdio?: StdioOptions;
}

/**
 * Starts the server on 127.0.0.1 and waits (up to 120 s) for /health. Load from one address would
 * be turned into 429s by the per-address rate limit, so the limit is off.
 */
export async function startServeChild(options: ServeChildOptions): Promise<ChildProcess> {
  const server = spawn(
    process.execPath,
    [options.cli, 'serve', '--port', String(options.port), '--host', '127.0.0.1', ...(options.args ?? [])],
    {
      env: { ...options.env, LOG_LEVEL: options.logLevel ?? 'warn', CABLEGRAPH_RATE_LIMIT: '0' },
      stdio: options.stdio ?? ['ignore', 'inherit', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  server.kill();
  throw new Error('the server did not answer /health within 120 s');
}
