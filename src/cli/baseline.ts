/**
 * `aoai-conformance baseline write|update`: an expected-failures baseline (docs/reports.md) made from a
 * run's results.json, and kept in line with later runs.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { type KnownIds, updateBaseline, writeBaseline } from '../results/baseline.ts';
import { loadCases, loadRequirements } from '../cases/load.ts';
import { CHECKS, TRANSPORT_CHECK } from '../checks/index.ts';
import { OFFICIAL_CLIENT_CHECK } from '../judges/index.ts';
import { readResults } from '../results/merge.ts';
import { EXIT_OK, type RunResults } from '../results/model.ts';
import { type CommandSpec, flag, parse, str, UsageError } from './options.ts';

/** How long a new entry is honoured unless --expires says otherwise: a quarter, then someone looks again. */
const DEFAULT_EXPIRY_DAYS = 90;

const SPEC: CommandSpec = {
  name: 'baseline',
  usage: 'baseline write|update [FILE] [options]',
  summary:
    "write: a baseline (YAML) that excuses exactly the failing checks of a run, one entry per check, each with a reason to fill in and an expiry. update FILE: bring a baseline in line with a run — drop entries whose failure is gone (or whose case no longer exists), keep the others with their reasons, add entries for new failures.",
  options: {
    from: { type: 'string', value: 'PATH', help: "the run's report directory or its results.json (default conformance-report/)" },
    output: { type: 'string', value: 'FILE', help: 'write: the file to write (default baseline.yaml); update: write here instead of FILE' },
    reason: { type: 'string', value: 'TEXT', help: 'the reason of every new entry (default: a TODO placeholder to replace)' },
    expires: { type: 'string', value: 'WHEN', help: `the last day new entries are honoured: YYYY-MM-DD, a number of days (30d), or never (default ${DEFAULT_EXPIRY_DAYS}d)` },
    force: { type: 'boolean', help: 'write: replace FILE if it exists' },
  },
  notes: [
    'Use it with `aoai-conformance run --baseline FILE`: listed failures do not fail the run; an entry whose failure is gone (stale) or whose day has passed (expired) does. Warnings need no entry: they never fail the run.',
  ],
};

/** YYYY-MM-DD from --expires, relative to `today`; undefined for `never`. */
export function expiryOption(text: string | undefined, today: string): string | undefined {
  const value = text ?? `${DEFAULT_EXPIRY_DAYS}d`;
  if (value === 'never') return undefined;
  const days = /^(\d+)d$/.exec(value);
  if (days) return new Date(Date.parse(`${today}T00:00:00Z`) + Number(days[1]) * 86_400_000).toISOString().slice(0, 10);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return value;
  throw new UsageError(`--expires must be YYYY-MM-DD, a number of days like 30d, or never; got "${value}"`);
}

function knownIds(): KnownIds {
  return { cases: new Set(loadCases(undefined, loadRequirements()).map((c) => c.id)), checks: new Set([...CHECKS.keys(), TRANSPORT_CHECK, OFFICIAL_CLIENT_CHECK]) };
}

const about = (r: RunResults) => `From the run of ${r.startedAt} (aoai-conformance ${r.tool.version}, profile ${r.target.profile}, ${r.target.emulator ? 'embedded emulator' : r.target.endpoint}).`;

type Values = ReturnType<typeof parse>['values'];
type Opts = { reason?: string; expires?: string };

function write(o: Values, results: RunResults, opts: Opts): void {
  const out = resolve(str(o, 'output') ?? 'baseline.yaml');
  if (existsSync(out) && !flag(o, 'force')) throw new UsageError(`${out} exists: update it with \`aoai-conformance baseline update ${out}\`, or replace it with --force`);
  const { text, entries } = writeBaseline(results.cases, about(results), opts);
  writeFileSync(out, text);
  console.log(`aoai-conformance: wrote ${out}: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, one per failing check${opts.expires ? `, honoured until ${opts.expires}` : ''}.`);
  if (entries.length && opts.reason === undefined) console.log('  Replace each TODO reason with why the failure is accepted before you commit the file.');
  console.log(`  Use it: aoai-conformance run --baseline ${basename(out)} …`);
}

function update(o: Values, file: string, results: RunResults, opts: Opts & { today: string }): void {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`baseline ${path}: ${(err as Error).message}`);
  }
  const u = updateBaseline(text, path, results.cases, { ...opts, known: knownIds() });
  const out = resolve(str(o, 'output') ?? path);
  writeFileSync(out, u.text);
  const name = (e: { case: string; check?: string }) => `${e.case}${e.check ? ` / ${e.check}` : ''}`;
  console.log(`aoai-conformance: updated ${out}: ${u.kept.length} kept, ${u.dropped.length} dropped, ${u.added.length} added.`);
  for (const note of u.renamed) console.log(`  renamed ${note}`);
  for (const d of u.dropped) console.log(`  dropped ${name(d.entry)}: ${d.why}`);
  for (const e of u.added) console.log(`  added   ${name(e)}`);
  for (const e of u.expired) console.log(`  EXPIRED ${name(e)} on ${e.expires}: it still fails; fix the target or renew the entry by hand`);
}

async function run(args: string[]): Promise<number> {
  const { values: o, positionals } = parse(SPEC, args);
  const [what, file, ...extra] = positionals;
  if (what !== 'write' && what !== 'update') throw new UsageError(`baseline what? write or update (got ${what === undefined ? 'nothing' : `"${what}"`})`);
  if (extra.length || (what === 'write' && file)) throw new UsageError(`baseline ${what}: unexpected ${[file, ...extra].filter(Boolean).join(' ')}${what === 'write' ? ' (name the file with --output)' : ''}`);
  if (what === 'update' && !file) throw new UsageError('baseline update FILE: name the baseline to update');
  const today = new Date().toISOString().slice(0, 10);
  const opts = { reason: str(o, 'reason'), expires: expiryOption(str(o, 'expires'), today) };
  if (opts.reason !== undefined && !opts.reason.trim()) throw new UsageError('--reason must say something');
  const results = readResults(resolve(str(o, 'from') ?? 'conformance-report'));
  if (what === 'write') write(o, results, opts);
  else update(o, file!, results, { ...opts, today });
  return EXIT_OK;
}

export const BASELINE = { spec: SPEC, run };
