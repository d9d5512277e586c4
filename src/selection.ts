/**
 * Which cases a run plans: `--only` / `--operation` / `--level` select, `--skip` (and the target config's
 * `skip:`) set cases aside with a reason. Case patterns are ids or globs (`*` any run of characters, `?` one).
 */
import type { Level, OperationId } from './model.ts';

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_REPEAT = 3;

export interface Filters {
  only?: string[];
  operations?: OperationId[];
  levels?: Level[];
}

export interface SkipRule {
  pattern: string;
  reason: string;
}

export function globMatcher(pattern: string): (id: string) => boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const re = new RegExp(`^${source}$`);
  return (id) => re.test(id);
}

export function selectCases<T extends { id: string; operation: OperationId; level: Level }>(cases: T[], filters: Filters): T[] {
  const only = filters.only?.map(globMatcher);
  return cases.filter(
    (c) =>
      (!only?.length || only.some((m) => m(c.id))) &&
      (!filters.operations?.length || filters.operations.includes(c.operation)) &&
      (!filters.levels?.length || filters.levels.includes(c.level)),
  );
}

/** Patterns that name no case at all: a typo, reported rather than silently selecting nothing. */
export function unmatchedPatterns(patterns: string[], ids: string[]): string[] {
  return patterns.filter((p) => !ids.some(globMatcher(p)));
}

/** The user's skip reasons per case (the first rule that matches wins). */
export function userSkips(rules: SkipRule[], ids: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const matchers = rules.map((r) => ({ ...r, matches: globMatcher(r.pattern) }));
  for (const id of ids) {
    const rule = matchers.find((m) => m.matches(id));
    if (rule) out.set(id, rule.reason);
  }
  return out;
}
