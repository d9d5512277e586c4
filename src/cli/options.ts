/**
 * Option tables: each command declares its options once (type, value name, help), and both the parser
 * (node:util parseArgs) and the command's `--help` text are generated from that table.
 */
import { parseArgs } from 'node:util';
import { InputError } from '../errors.ts';

export class UsageError extends InputError {}

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in the help text (string options). */
  value?: string;
  help: string;
}

export type OptionTable = Record<string, OptionSpec>;

export interface CommandSpec {
  name: string;
  /** The usage line after `aoai-conformance`. */
  usage: string;
  summary: string;
  options: OptionTable;
  /** Paragraphs printed after the options. */
  notes?: string[];
}

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

type Values = Record<string, string | boolean | string[] | undefined>;

export function parse(command: CommandSpec, args: string[]): { values: Values; positionals: string[] } {
  if (args.some((a) => a === '--api-key' || a.startsWith('--api-key='))) {
    throw new UsageError('the key is never accepted on the command line: put it in an environment variable and name it with --api-key-env');
  }
  const options = Object.fromEntries(
    Object.entries({ ...command.options, help: HELP_OPTION }).map(([name, o]) => [name, { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }]),
  );
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { values: values as Values, positionals };
  } catch (err) {
    throw new UsageError(`${command.name}: ${(err as Error).message}`);
  }
}

/** `--help` for one command, from its table. */
export function commandHelp(command: CommandSpec): string {
  const rows = Object.entries({ ...command.options, help: HELP_OPTION }).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}${o.multiple ? ' …' : ''}`;
    return [flag, o.help] as const;
  });
  const width = Math.min(30, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  const lines = [`Usage: aoai-conformance ${command.usage}`, '', ...wrap(command.summary, 100), '', 'Options:'];
  for (const [flag, help] of rows) {
    const [first, ...rest] = wrap(help, 100 - width - 2);
    lines.push(flag.length + 2 > width ? `  ${flag}\n  ${' '.repeat(width)}${first}` : `  ${flag.padEnd(width)}${first}`);
    for (const more of rest) lines.push(`  ${' '.repeat(width)}${more}`);
  }
  for (const note of command.notes ?? []) lines.push('', ...wrap(note, 100));
  return lines.join('\n');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line);
  }
  return out;
}

export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(values: Values, name: string): string[] | undefined {
  const v = values[name];
  return Array.isArray(v) ? v : undefined;
}

export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}

export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

export function oneOf<T extends string>(name: string, values: string[] | undefined, allowed: readonly T[]): T[] | undefined {
  for (const v of values ?? []) if (!allowed.includes(v as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${v}"`);
  return values as T[] | undefined;
}
