/**
 * Counts the writers show in tables, computed here once so the terminal and report.html only format them:
 * cases per operation (with the baseline's excused failures and the time spent), and checks per
 * operation and report category (the HTML matrix).
 */
import type { OperationId } from '../model.ts';
import { type Category, checkStatus, displayStatus, emptyCounts, type ReportedCase, type StatusCounts } from './model.ts';

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
