/**
 * report.html's charts, as inline SVG (the report stays one file that loads nothing): cases per
 * operation by outcome, and the distribution of response times. The shapes are SVG; the labels are
 * HTML next to them, so they stay readable when a narrow screen squeezes the bars.
 */
import type { DisplayStatus, RunResults } from '../src/results/model.ts';
import { byDisplayStatus, operationTallies, percentile, responseTimes } from '../src/results/tally.ts';
import { esc, ms, STATUS_LABEL } from './html-parts.ts';

const COLOUR: Record<DisplayStatus, string> = { pass: '#2da44e', warning: '#d4a72c', 'expected-failure': '#e16f24', fail: '#cf222e', error: '#8250df', skipped: '#afb8c1' };
const ORDER: DisplayStatus[] = ['pass', 'warning', 'expected-failure', 'fail', 'error', 'skipped'];

/** One stacked bar per operation: how many of its cases passed, warned, failed, were not judged or skipped. */
export function operationsChart(r: RunResults): string {
  const counts = operationTallies(r.cases).rows.map(([op, t]) => [op, byDisplayStatus(t)] as const);
  if (!counts.length) return '';
  const rows = counts.map(([op, row]) => {
    const total = ORDER.reduce((n, s) => n + row[s], 0);
    let x = 0;
    const rects = ORDER.filter((s) => row[s]).map((s) => {
      const rect = `<rect x="${x}" y="0" width="${row[s]}" height="1" fill="${COLOUR[s]}" data-status="${s}"><title>${esc(op)}: ${row[s]} ${STATUS_LABEL[s]}</title></rect>`;
      x += row[s];
      return rect;
    });
    const label = ORDER.filter((s) => row[s]).map((s) => `${row[s]} ${STATUS_LABEL[s]}`).join(', ');
    return `<div class="bar-row" data-operation="${esc(op)}"><span class="bar-label">${esc(op)}</span><svg class="bar" viewBox="0 0 ${total} 1" preserveAspectRatio="none" role="img" aria-label="${esc(`${op}: ${label}`)}">${rects.join('')}</svg><span class="bar-count">${row.pass}/${total} passed</span></div>`;
  });
  const used = ORDER.filter((s) => counts.some(([, row]) => row[s]));
  const legend = used.map((s) => `<span><i style="background:${COLOUR[s]}"></i>${STATUS_LABEL[s]}</span>`).join('');
  return `<figure class="chart" data-testid="chart-operations"><figcaption>Cases per operation, by outcome</figcaption>${rows.join('')}<div class="legend">${legend}</div></figure>`;
}

/** Bin edges in milliseconds, roughly logarithmic: response times span four orders of magnitude. */
const EDGES = [0, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, Number.POSITIVE_INFINITY];
const edgeLabel = (v: number) => (v >= 1000 ? `${v / 1000}s` : `${v}ms`);

/** A histogram of the cases' response times (the recorded exchange's total time). */
export function latencyChart(r: RunResults): string {
  const times = responseTimes(r.cases);
  if (times.length < 3) return '';
  const bins = EDGES.slice(0, -1).map((lo, i) => ({ lo, hi: EDGES[i + 1], n: times.filter((t) => t >= lo && t < EDGES[i + 1]).length }));
  const first = bins.findIndex((b) => b.n);
  const last = bins.length - 1 - [...bins].reverse().findIndex((b) => b.n);
  const shown = bins.slice(first, last + 1);
  const top = Math.max(...shown.map((b) => b.n));
  const bars = shown.map((b, i) => {
    const h = Math.max(1, (90 * b.n) / top);
    return `<rect x="${i * 10 + 1}" y="${100 - h}" width="8" height="${h}" fill="#0969da"><title>${b.n} case(s) from ${edgeLabel(b.lo)} to ${Number.isFinite(b.hi) ? edgeLabel(b.hi) : '∞'}</title></rect>`;
  });
  const grid = `style="grid-template-columns:repeat(${shown.length},1fr)"`;
  const labels = shown.map((b) => `<span>${Number.isFinite(b.hi) ? `&lt;${edgeLabel(b.hi)}` : `≥${edgeLabel(b.lo)}`}</span>`).join('');
  return `<figure class="chart" data-testid="chart-latency"><figcaption>Response times of ${times.length} case(s): median ${ms(percentile(times, 50))} · p90 ${ms(percentile(times, 90))} · max ${ms(times.at(-1))}</figcaption>
<div class="hist-axis" ${grid}>${shown.map((b) => `<span>${b.n || ''}</span>`).join('')}</div><svg class="hist" viewBox="0 0 ${shown.length * 10} 100" preserveAspectRatio="none" role="img" aria-label="histogram of response times">${bars.join('')}</svg><div class="hist-axis" ${grid}>${labels}</div></figure>`;
}
