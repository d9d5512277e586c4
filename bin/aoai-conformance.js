#!/usr/bin/env node
// The CLI is TypeScript; tsx lets it run from source on Node 20 without a build step.
import { register } from 'tsx/esm/api';

register();
// `aoai-conformance list | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
