/**
 * Counts the writers show in tables and charts, computed here once so the terminal and report.html only
 * format them: cases per operation (with the baseline's excused failures and the time spent), checks per
 * operation and report category (the HTML matrix), the cases' times and the response times.
 */
import type { OperationId } from '../model.ts';
import { type Category, checkStatus, displayStatus, type DisplayStatus, emptyCounts, type ReportedCase, type StatusCounts } from './model.ts';

/** An operation's cases by status; `xfail` of the `fail` ones are excused by the baseline; `ms` is the sum of their durations. */
export interface OperationTally extends StatusCounts {
  xfail: number;
  ms: number;
}

const emptyTally = (): OperationTally => ({ ...emptyCounts(), xfail: 0, ms: 0 });

/** One row per operation that has cases, sorted by operation, and the total over all of them. */
export function operationTallies(cases: ReportedCase[]): { rows: Array<[OperationId, OperationTally]>; total: OperationTally } {
  const perOperation = new Map<OperationId, OperationTally>();
  for (const c of cases) {
    const row = perOperation.get(c.operation) ?? emptyTally();
    row[c.status]++;
    if (displayStatus(c) === 'expected-failure') row.xfail++;
    row.ms += c.durationMs;
    perOperation.set(c.operation, row);
  }
  const rows = [...perOperation].sort(([a], [b]) => a.localeCompare(b));
  const total = emptyTally();
  for (const [, row] of rows) for (const k of Object.keys(total) as Array<keyof OperationTally>) total[k] += row[k];
  return { rows, total };
}

/** Checks of one operation and category by status; an excused failure counts as `xfail`, not `fail`. */
export type MatrixCell = Omit<OperationTally, 'ms'>;

/** The operations × categories matrix: the operations with cases (sorted) and a cell per pair that has checks. */
export function categoryMatrix(cases: ReportedCase[]): { operations: OperationId[]; cell(operation: OperationId, category: Category): MatrixCell | undefined } {
  const operations = [...new Set(cases.map((c) => c.operation))].sort();
  const cells = new Map<string, MatrixCell>();
  for (const c of cases) {
    for (const k of c.checks) {
      const key = `${c.operation}|${k.category}`;
      const cell = cells.get(key) ?? { ...emptyCounts(), xfail: 0 };
      if (checkStatus(k) === 'expected-failure') cell.xfail++;
      else cell[k.status]++;
      cells.set(key, cell);
    }
  }
  return { operations, cell: (operation, category) => cells.get(`${operation}|${category}`) };
}

/** An operation's cases by what reports show: an excused failure as `expected-failure`, not as `fail`. */
export function byDisplayStatus(t: OperationTally): Record<DisplayStatus, number> {
  return { pass: t.pass, warning: t.warning, 'expected-failure': t.xfail, fail: t.fail - t.xfail, error: t.error, skipped: t.skipped };
}

/** The cases that ran (not skipped): their time per operation (sorted), the slowest first, and the time in all of them. */
export function caseTimes(cases: ReportedCase[], slowest: number): { ran: number; totalMs: number; perOperation: Array<[OperationId, { n: number; ms: number }]>; slowest: ReportedCase[] } {
  const ran = cases.filter((c) => c.status !== 'skipped');
  const perOperation = new Map<OperationId, { n: number; ms: number }>();
  for (const c of ran) {
    const e = perOperation.get(c.operation) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += c.durationMs;
    perOperation.set(c.operation, e);
  }
  return {
    ran: ran.length,
    totalMs: ran.reduce((t, c) => t + c.durationMs, 0),
    perOperation: [...perOperation].sort(([a], [b]) => a.localeCompare(b)),
    slowest: [...ran].sort((a, b) => b.durationMs - a.durationMs).slice(0, slowest),
  };
}

/** The recorded response times (each exchange's total time), sorted ascending. */
export function responseTimes(cases: ReportedCase[]): number[] {
  return cases.map((c) => c.exchange?.timings.totalMs).filter((t): t is number => typeof t === 'number' && Number.isFinite(t)).sort((a, b) => a - b);
}

/** The nearest-rank percentile of ascending values. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
