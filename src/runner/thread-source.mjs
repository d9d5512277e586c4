// The runner's thread from the TypeScript sources (a clone whose build is stale): tsx loads them, as
// bin/aoai-conformance.js has it load the CLI's.
import { register } from 'tsx/esm/api';

register();
await import('./thread.ts');
