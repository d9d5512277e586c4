/** `aoai-conformance emulator`: the reference emulator standalone on 127.0.0.1. */
import { type CommandSpec, flag, list, parse, str, UsageError } from './options.ts';
import { variationLines, variationsOption } from './shared.ts';

const SPEC: CommandSpec = {
  name: 'emulator',
  usage: 'emulator [options]        (in the repo: npm run emulator -- [options])',
  summary: 'Run the reference emulator standalone on 127.0.0.1, answering all three profile styles at once, until Ctrl-C.',
  options: {
    port: { type: 'string', value: 'N', help: 'the port (default: a free one, printed)' },
    key: { type: 'string', value: 'K', help: 'the credential it accepts (default: the value of $AZURE_OPENAI_API_KEY)' },
    'no-auth': { type: 'boolean', help: 'accept every request, with or without a credential (a local server without authentication)' },
    fault: { type: 'string', multiple: true, value: 'ID', help: 'switch on a fault (repeatable); --list-faults lists them' },
    'list-faults': { type: 'boolean', help: 'list the fault switches and exit' },
    variation: { type: 'string', multiple: true, value: 'ID', help: 'switch on a legal variation: an unusual response the documents allow (repeatable); --list-variations lists them' },
    'list-variations': { type: 'boolean', help: 'list the legal variations and exit' },
  },
};

async function run(args: string[]): Promise<number> {
  const { values: o } = parse(SPEC, args);
  const { FAULTS } = await import('../../emulator/faults.ts');
  if (flag(o, 'list-faults')) {
    for (const f of FAULTS) console.log(`${f.id.padEnd(32)} ${f.category.padEnd(12)} ${f.breaks}`);
    return 0;
  }
  if (flag(o, 'list-variations')) {
    for (const line of await variationLines()) console.log(line);
    return 0;
  }
  const noAuth = flag(o, 'no-auth');
  const key = str(o, 'key') ?? process.env.AZURE_OPENAI_API_KEY ?? (noAuth ? '' : undefined);
  if (key === undefined || (!key && !noAuth)) throw new UsageError('the emulator needs a key: --key K or $AZURE_OPENAI_API_KEY (or --no-auth to accept every request)');
  const portText = str(o, 'port');
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got "${portText}"`);
  const faults = list(o, 'fault') ?? [];
  for (const f of faults) if (!FAULTS.some((x) => x.id === f)) throw new UsageError(`unknown fault "${f}" (see --list-faults)`);
  const variations = await variationsOption(list(o, 'variation'), '--list-variations');
  const { DEFAULT_DEPLOYMENTS, startEmulator } = await import('../../emulator/server.ts');
  const emu = await startEmulator({ key, noAuth, port, faults, variations });
  console.log(`aoai-conformance emulator listening on ${emu.url}${noAuth ? ' without authentication' : ''}${faults.length ? ` with faults ${faults.join(', ')}` : ''}${variations.length ? ` with variations ${variations.join(', ')}` : ''}`);
  console.log(`  azure-openai    ${emu.url}/openai/deployments/{${DEFAULT_DEPLOYMENTS.join('|')}}/chat/completions?api-version=2024-06-01`);
  console.log(`  openai          ${emu.url}/v1/chat/completions`);
  await new Promise<void>((done) => {
    const stop = () => void emu.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

export const EMULATOR = { spec: SPEC, run };
