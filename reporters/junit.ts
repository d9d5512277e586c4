/**
 * JUnit XML for CI systems: one <testsuite> per operation, one <testcase> per case. MUST failures are
 * <failure>, cases the suite could not judge are <error>, inapplicable ones <skipped>; SHOULD/MAY
 * warnings pass and are listed in <system-out> so CI stays green on them, as the exit code does.
 * A failure the baseline excuses is <skipped type="expected-failure"> (as pytest reports xfail), and
 * a `baseline` testsuite has one testcase per entry: stale and expired entries are <failure>.
 */
import escapeHtml from 'escape-html';
import type { BaselineReport, ReportedCase, RunResults } from '../src/results/model.ts';

/** XML 1.0 forbids most control characters even when escaped; a target's bytes can contain them. */
function xml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD'));
}

function checkLine(c: ReportedCase['checks'][number]): string {
  return `[${c.status.toUpperCase()}] ${c.level} ${c.requirement} ${c.check}: ${c.message}\n  expected: ${JSON.stringify(c.expected)}\n  actual:   ${JSON.stringify(c.actual)}`;
}

function testcase(c: ReportedCase): string {
  const attrs = `name="${xml(`${c.id}: ${c.title}`)}" classname="${xml(`${c.profile}.${c.operation}`)}" time="${(c.durationMs / 1000).toFixed(3)}"`;
  const notable = c.checks.filter((k) => k.status !== 'pass');
  const out = notable.length ? `<system-out>${xml(notable.map(checkLine).join('\n'))}</system-out>` : '';
  if (c.status === 'fail' && c.expectedFailure) {
    return `<testcase ${attrs}><skipped type="expected-failure" message="${xml(`expected failure (baseline): ${c.expectedFailure.reasons.join('; ')}`)}"/>${out}</testcase>`;
  }
  switch (c.status) {
    case 'fail': {
      const failed = c.checks.filter((k) => k.status === 'fail' && k.expectedFailure === undefined);
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

function baselineSuite(b: BaselineReport): string {
  const cases = b.entries.map((e) => {
    const name = `${e.case}${e.check ? ` / ${e.check}` : ''}`;
    const attrs = `name="${xml(name)}" classname="baseline.${xml(b.file)}" time="0"`;
    if (e.state === 'stale' || e.state === 'expired') return `<testcase ${attrs}><failure type="${e.state}-baseline-entry" message="${xml(`${e.state}: ${e.detail}`)}">${xml(`reason: ${e.reason}`)}</failure></testcase>`;
    if (e.state === 'not-run') return `<testcase ${attrs}><skipped message="${xml(e.detail)}"/></testcase>`;
    return `<testcase ${attrs}><system-out>${xml(`expected failure: ${e.reason} (${e.detail})`)}</system-out></testcase>`;
  });
  const n = (s: string) => b.entries.filter((e) => e.state === s).length;
  return `  <testsuite name="baseline" tests="${b.entries.length}" failures="${n('stale') + n('expired')}" errors="0" skipped="${n('not-run')}" time="0">\n    ${cases.join('\n    ')}\n  </testsuite>`;
}

export function renderJunit(results: RunResults): string {
  const byOperation = new Map<string, ReportedCase[]>();
  for (const c of results.cases) byOperation.set(c.operation, [...(byOperation.get(c.operation) ?? []), c]);
  const suites = [...byOperation].map(([operation, cases]) => {
    const n = (s: ReportedCase['status']) => cases.filter((c) => c.status === s && !(s === 'fail' && c.expectedFailure)).length;
    const time = cases.reduce((t, c) => t + c.durationMs, 0) / 1000;
    return `  <testsuite name="${xml(`${results.target.profile} ${operation}`)}" tests="${cases.length}" failures="${n('fail')}" errors="${n('error')}" skipped="${n('skipped') + cases.filter((c) => c.expectedFailure).length}" time="${time.toFixed(3)}">\n    ${cases.map(testcase).join('\n    ')}\n  </testsuite>`;
  });
  if (results.baseline?.entries.length) suites.push(baselineSuite(results.baseline));
  const s = results.summary;
  const stale = results.baseline ? results.baseline.counts.stale + results.baseline.counts.expired : 0;
  const tests = results.cases.length + (results.baseline?.entries.length ?? 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="aoai-conformance" tests="${tests}" failures="${s.failed + stale}" errors="${s.errors}" skipped="${s.skipped + s.expectedFailures + (results.baseline?.counts['not-run'] ?? 0)}" time="${(results.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
