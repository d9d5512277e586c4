/** `aoai-conformance list [cases|requirements|checks|faults]`: the catalogue. */
import { LEVELS, type Level, type OperationId } from '../model.ts';
import { OPERATIONS } from '../operations.ts';
import { currentPatterns } from '../renamed.ts';
import { sourcesOf } from '../requirements.ts';
import { selectCases } from '../selection.ts';
import { inShard } from '../results/shard.ts';
import { catalogue } from './catalogue.ts';
import { type CommandSpec, list as listOf, oneOf, parse, str, UsageError } from './options.ts';
import { shardOption, variationLines } from './shared.ts';

const SPEC: CommandSpec = {
  name: 'list',
  usage: 'list [cases|requirements|checks|faults|variations] [options]',
  summary: 'List the catalogue: cases (the default), requirements, checks, emulator faults or emulator variations (legal but unusual responses).',
  options: {
    only: { type: 'string', multiple: true, value: 'ID', help: 'cases: only this case (repeatable)' },
    operation: { type: 'string', multiple: true, value: 'OP', help: `cases: only this operation's cases (repeatable): ${OPERATIONS.join(', ')}` },
    level: { type: 'string', multiple: true, value: 'L', help: 'cases and requirements: only this level (repeatable): MUST, SHOULD, MAY' },
    shard: { type: 'string', value: 'i/n', help: 'cases: only the i-th of n equal parts' },
  },
};

async function run(args: string[]): Promise<number> {
  const { values: o, positionals } = parse(SPEC, args);
  const what = positionals[0] ?? 'cases';
  const levels = oneOf<Level>('level', listOf(o, 'level'), LEVELS);
  if (what === 'faults') {
    const { FAULTS } = await import('../../emulator/faults.ts');
    for (const f of FAULTS) console.log(`${f.id.padEnd(32)} ${f.category.padEnd(12)} ${f.breaks}`);
  } else if (what === 'variations') {
    for (const line of await variationLines()) console.log(line);
  } else if (what === 'checks') {
    const { CHECKS } = await import('../checks/index.ts');
    for (const c of CHECKS.values()) console.log(`${c.name.padEnd(28)} ${c.description}\n${' '.repeat(29)}args: ${JSON.stringify(c.args.properties ?? {})}`);
  } else if (what === 'requirements') {
    for (const r of (await catalogue()).requirements.values()) {
      // A requirement whose profile groups differ in level is listed at each (MUST/SHOULD).
      const at = [...new Set(sourcesOf(r).map((s) => s.level))];
      if (levels?.length && !at.some((l) => levels.includes(l))) continue;
      console.log(`${r.id.padEnd(34)} ${at.join('/').padEnd(6)} ${r.statement}`);
    }
  } else if (what === 'cases') {
    const only = currentPatterns(listOf(o, 'only') ?? []);
    for (const note of only.notes) console.error(`aoai-conformance: ${note}`);
    const filters = { only: only.patterns, operations: oneOf<OperationId>('operation', listOf(o, 'operation'), OPERATIONS), levels };
    for (const c of inShard(selectCases((await catalogue()).cases, filters), shardOption(str(o, 'shard')))) {
      console.log(`${c.id.padEnd(38)} ${c.level.padEnd(6)} ${c.operation.padEnd(20)} ${c.profiles.join(',').padEnd(36)} ${c.title}`);
    }
  } else {
    throw new UsageError(`list what? cases, requirements, checks, faults or variations (got "${what}")`);
  }
  return 0;
}

export const LIST = { spec: SPEC, run };
