/** The counts the writers show, computed once in the results wing (src/results/tally.ts). */
import { describe, expect, it } from 'vitest';
import { byDisplayStatus, caseTimes, categoryMatrix, operationTallies, percentile, responseTimes } from '../../src/results/tally.ts';
import { builtCase } from './built.ts';

const excused = { ...builtCase({ id: 'chat-excused', checks: [{ check: 'schema', requirement: 'CHAT-200', status: 'fail' }] }), expectedFailure: { reasons: ['known'] } };
excused.checks = excused.checks.map((k) => ({ ...k, expectedFailure: 'known' }));
const cases = [
  builtCase({ id: 'embeddings-ok', operation: 'embeddings', checks: [{ check: 'schema', requirement: 'EMB-200', status: 'pass' }], totalMs: 40 }),
  builtCase({ id: 'chat-ok', checks: [{ check: 'schema', requirement: 'CHAT-200', status: 'pass' }], totalMs: 10 }),
  builtCase({ id: 'chat-broken', checks: [{ check: 'schema', requirement: 'CHAT-200', status: 'fail' }], totalMs: 30 }),
  builtCase({ id: 'chat-skipped', skipReason: 'not here' }),
  excused,
];

describe('tallies', () => {
  it('counts cases per operation, sorted, with the excused failures and the time, and their total', () => {
    const { rows, total } = operationTallies(cases);
    expect(rows.map(([op]) => op)).toEqual(['chat.completions', 'embeddings']);
    const chat = rows[0][1];
    expect(chat).toEqual({ pass: 1, fail: 2, warning: 0, skipped: 1, error: 0, xfail: 1, ms: 10 + 30 + 20 + 20 });
    expect(byDisplayStatus(chat)).toEqual({ pass: 1, warning: 0, 'expected-failure': 1, fail: 1, error: 0, skipped: 1 });
    expect(total).toMatchObject({ pass: 2, fail: 2, xfail: 1, skipped: 1, ms: 120 });
  });

  it('counts checks per operation and category, an excused failure apart from a failure', () => {
    const matrix = categoryMatrix(cases);
    expect(matrix.operations).toEqual(['chat.completions', 'embeddings']);
    expect(matrix.cell('chat.completions', 'semantics')).toEqual({ pass: 1, fail: 1, warning: 0, skipped: 0, error: 0, xfail: 1 });
    expect(matrix.cell('embeddings', 'schema')).toBeUndefined();
  });

  it('times the cases that ran, and sorts the response times for their percentiles', () => {
    const t = caseTimes(cases, 2);
    expect(t.ran).toBe(4);
    expect(t.totalMs).toBe(100);
    expect(t.slowest.map((c) => c.id)).toEqual(['embeddings-ok', 'chat-broken']);
    expect(t.perOperation).toEqual([['chat.completions', { n: 3, ms: 60 }], ['embeddings', { n: 1, ms: 40 }]]);
    const times = responseTimes(cases);
    expect(times).toEqual([10, 20, 30, 40]);
    expect([percentile(times, 50), percentile(times, 90), percentile(times, 100)]).toEqual([20, 40, 40]);
  });
});
