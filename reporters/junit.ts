/**
 * JUnit XML for CI systems: one <testsuite> per operation, one <testcase> per case. MUST failures are
 * <failure>, cases the suite could not judge are <error>, inapplicable ones <skipped>; SHOULD/MAY
 * warnings pass and are listed in <system-out> so CI stays green on them, as the exit code does.
 */
import escapeHtml from 'escape-html';
import type { CaseResult } from '../src/model.ts';
import type { RunResults } from '../src/results.ts';

/** XML 1.0 forbids most control characters even when escaped; a target's bytes can contain them. */
function xml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD'));
}

function checkLine(c: CaseResult['checks'][number]): string {
  return `[${c.status.toUpperCase()}] ${c.level} ${c.requirement} ${c.check}: ${c.message}\n  expected: ${JSON.stringify(c.expected)}\n  actual:   ${JSON.stringify(c.actual)}`;
}

function testcase(c: CaseResult): string {
  const attrs = `name="${xml(`${c.id}: ${c.title}`)}" classname="${xml(`${c.profile}.${c.operation}`)}" time="${(c.durationMs / 1000).toFixed(3)}"`;
  const notable = c.checks.filter((k) => k.status !== 'pass');
  const out = notable.length ? `<system-out>${xml(notable.map(checkLine).join('\n'))}</system-out>` : '';
  switch (c.status) {
    case 'fail': {
      const failed = c.checks.filter((k) => k.status === 'fail');
      const message = failed.map((k) => `${k.requirement}: ${k.message}`).join('; ');
      return `<testcase ${attrs}><failure message="${xml(message)}" type="${xml(failed[0]?.requirement ?? 'MUST')}">${xml(failed.map(checkLine).join('\n'))}</failure>${out}</testcase>`;
    }
    case 'error':
      return `<testcase ${attrs}><error message="${xml(c.runError ?? 'the suite could not judge this case')}">${xml(notable.map(checkLine).join('\n'))}</error>${out}</testcase>`;
    case 'skipped':
      return `<testcase ${attrs}><skipped message="${xml(c.skipReason ?? 'not applicable')}"/></testcase>`;
    default:
      return `<testcase ${attrs}>${out}</testcase>`;
  }
}

export function renderJunit(results: RunResults): string {
  const byOperation = new Map<string, CaseResult[]>();
  for (const c of results.cases) byOperation.set(c.operation, [...(byOperation.get(c.operation) ?? []), c]);
  const suites = [...byOperation].map(([operation, cases]) => {
    const n = (s: CaseResult['status']) => cases.filter((c) => c.status === s).length;
    const time = cases.reduce((t, c) => t + c.durationMs, 0) / 1000;
    return `  <testsuite name="${xml(`${results.target.profile} ${operation}`)}" tests="${cases.length}" failures="${n('fail')}" errors="${n('error')}" skipped="${n('skipped')}" time="${time.toFixed(3)}">\n    ${cases.map(testcase).join('\n    ')}\n  </testsuite>`;
  });
  const s = results.summary;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="aoai-conformance" tests="${s.planned}" failures="${s.failed}" errors="${s.errors}" skipped="${s.skipped}">\n${suites.join('\n')}\n</testsuites>\n`;
}
