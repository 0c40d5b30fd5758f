// What the PostgreSQL benchmarks that create their own scratch databases share: the default corpus,
// a count option checked, scratch databases created and dropped with the client tools, and medians.
import { execFileSync } from 'node:child_process';

export const DEFAULT_CORPUS = new URL('../../../shared/corpus/cablegate-1295.csv.gz', import.meta.url).pathname;

/** A whole number of at least `min` (1 unless given) as `--name`, or exit 2 with a message saying what was given. */
export function countOption(name: string, value: string, min = 1): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < min) {
    console.error(`--${name} must be ${min === 1 ? 'a positive integer' : `an integer of at least ${min}`}, got "${value}"`);
    process.exit(2);
  }
  return count;
}

/** Databases on the server of `serverUrl` (a postgres:// URL without a database), by name. */
export function scratchServer(serverUrl: string) {
  const server = new URL(serverUrl);
  const psqlArgs = ['-h', server.hostname, '-p', server.port || '5432', '-U', server.username || 'postgres'];
  return {
    urlOf(name: string): string {
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    /** Drops `name` if it exists and creates it again, empty or as a copy of `template`. */
    recreate(name: string, template?: string): void {
      execFileSync('dropdb', [...psqlArgs, '--if-exists', name]);
      execFileSync('createdb', [...psqlArgs, ...(template ? ['-T', template] : []), name]);
    },
    drop(name: string): void {
      execFileSync('dropdb', [...psqlArgs, '--if-exists', name]);
    },
  };
}

export function median(list: number[]): number {
  const sorted = [...list].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
