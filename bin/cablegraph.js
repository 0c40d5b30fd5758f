#!/usr/bin/env node
// Shim: run the TypeScript CLI through tsx's loader, so `npx cablegraph` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { execute } = await import('../src/cli.ts');
process.exitCode = await execute(process.argv.slice(2));
