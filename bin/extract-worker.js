// Shim for the extraction pool's worker threads: load the TypeScript task through tsx's loader, as
// bin/cablegraph.js does for the CLI (a worker thread does not inherit the loader of its parent).
import { register } from 'tsx/esm/api';

register();
const task = await import('../src/ingest/extract-task.ts');
export default task.default;
