#!/usr/bin/env node
// The CLI is TypeScript; tsx lets it run from source on Node 20 without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
