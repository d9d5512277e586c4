/**
 * aoai-conformance command line: one file per command (src/cli/<command>.ts), each with its option table;
 * the help texts are generated from those tables (./options.ts). Exit codes: src/results.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import { EXIT_INCOMPLETE, EXIT_OK } from '../results/model.ts';
import { type CommandSpec, UsageError } from './options.ts';

export const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Command {
  spec: CommandSpec;
  run(args: string[]): Promise<number> | number;
}

/** Each command's module is imported only when it runs: `--version` and `list` stay fast. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./run.ts')).RUN,
  emulator: async () => (await import('./emulator.ts')).EMULATOR,
  list: async () => (await import('./list.ts')).LIST,
  merge: async () => (await import('./merge.ts')).MERGE,
  report: async () => (await import('./report.ts')).REPORT,
  baseline: async () => (await import('./baseline.ts')).BASELINE,
};

const SUMMARIES: Record<string, string> = {
  run: 'run the suite against a target (or the embedded emulator) and write the reports',
  emulator: 'run the reference emulator standalone on 127.0.0.1',
  list: 'list cases, requirements, checks, faults or variations',
  merge: 'merge the reports of shards (--shard i/n) into one',
  report: 'render a report from a run\'s results: allure (single-file HTML) or html',
  baseline: 'write an expected-failures baseline from a run\'s failures, or update one',
};

function overview(): string {
  const width = Math.max(...Object.keys(SUMMARIES).map((c) => c.length)) + 2;
  return [
    `aoai-conformance ${VERSION} — contract conformance for Azure OpenAI-style inference servers`,
    '',
    'Usage: aoai-conformance <command> [options]     (in the repo: npm run conformance -- [options])',
    '',
    'Commands:',
    ...Object.entries(SUMMARIES).map(([c, s]) => `  ${c.padEnd(width)}${s}`),
    '',
    '`aoai-conformance <command> --help` lists a command\'s options.',
    'Exit codes: 0 no MUST requirement failed (or every failure is in the baseline), 1 a MUST requirement',
    'failed or a baseline entry is stale or expired, 2 usage/configuration error or incomplete run.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    console.log(VERSION);
    return EXIT_OK;
  }
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const about = name === 'help' && rest[0] && COMMANDS[rest[0]] ? (await COMMANDS[rest[0]]()).spec : undefined;
    console.log(about ? (await import('./options.ts')).commandHelp(about) : overview());
    return name === undefined ? EXIT_INCOMPLETE : EXIT_OK;
  }
  try {
    const load = COMMANDS[name];
    if (!load) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      const { commandHelp } = await import('./options.ts');
      console.log(commandHelp(command.spec));
      return EXIT_OK;
    }
    return await command.run(rest);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    console.error(`aoai-conformance: ${err.message}`);
    if (err instanceof UsageError) console.error(`Run \`aoai-conformance ${name && COMMANDS[name] ? `${name} ` : ''}--help\` for usage.`);
    return EXIT_INCOMPLETE;
  }
}

