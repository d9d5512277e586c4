/**
 * The progress line while a run goes. On a terminal: one line redrawn in place. Elsewhere (CI logs):
 * a plain line at most every PLAIN_INTERVAL_MS, so a long run shows life without flooding the log.
 * The ETA assumes the remaining cases take as long on average as those done so far.
 */
import type { Status } from '../src/model.ts';

const PLAIN_INTERVAL_MS = 10_000;

export class Progress {
  private done_ = 0;
  private readonly counts: Record<Status, number> = { pass: 0, fail: 0, warning: 0, skipped: 0, error: 0 };
  private started = 0;
  private lastPlain = 0;
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly planned: number,
    private readonly interactive = Boolean(out.isTTY) && !process.env.CI,
    /** The clock (injectable, so tests never depend on real time). */
    private readonly now: () => number = Date.now,
  ) {
    this.started = this.now();
  }

  start(): void {
    this.started = this.now();
    this.lastPlain = this.started;
  }

  done(id: string, status: Status): void {
    this.done_++;
    this.counts[status]++;
    if (this.interactive) {
      const columns = this.out.columns || 100;
      this.write(`\r\x1b[K${this.line(id)}`.slice(0, columns + 4));
      this.drawn = true;
    } else if (this.now() - this.lastPlain >= PLAIN_INTERVAL_MS) {
      this.lastPlain = this.now();
      this.write(`${this.line()}\n`);
    }
  }

  finish(): void {
    if (this.drawn) this.write('\r\x1b[K');
    this.drawn = false;
  }

  line(current?: string): string {
    const c = this.counts;
    const width = String(this.planned).length;
    const pct = this.planned ? Math.floor((100 * this.done_) / this.planned) : 100;
    const parts = [`[${String(this.done_).padStart(width)}/${this.planned}] ${String(pct).padStart(3)}%`, `${c.pass} passed`];
    if (c.fail) parts.push(`${c.fail} failed`);
    if (c.warning) parts.push(`${c.warning} warnings`);
    if (c.error) parts.push(`${c.error} errors`);
    if (c.skipped) parts.push(`${c.skipped} skipped`);
    const elapsed = this.now() - this.started;
    parts.push(formatDuration(elapsed));
    const left = this.planned - this.done_;
    if (this.done_ > 0 && left > 0 && elapsed > 0) parts.push(`ETA ${formatDuration((elapsed / this.done_) * left)}`);
    return `aoai-conformance ${parts.join(' · ')}${current ? ` · ${current}` : ''}`;
  }

  private write(text: string): void {
    try {
      this.out.write(text);
    } catch {
      // A closed stream must not break the run.
    }
  }
}

/** 42s, 3m05s, 1h02m. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
