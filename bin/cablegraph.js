#!/usr/bin/env node
// Shim: run the TypeScript CLI through tsx's loader, so `npx cablegraph` works right after `npm ci`.
import { register } from 'tsx/esm/api';

// graphql-js checks, in development, that no value comes from a second copy of its module: a few
// per cent of a request's CPU time. The Docker image sets production too; tests run as "test".
process.env.NODE_ENV ??= 'production';
register();
const { execute } = await import('../src/cli.ts');
process.exitCode = await execute(process.argv.slice(2));
