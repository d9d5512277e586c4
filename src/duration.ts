/** Durations as users write them: `500ms`, `30s`, `2m`, `1h`; a bare number is milliseconds. */
export interface DurationBounds {
  minMs: number;
  maxMs: number;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or an explanation of what is wrong with the text (for the caller's error). */
export function parseDuration(text: string | number, bounds: DurationBounds): number | string {
  const m = typeof text === 'number' ? [String(text), String(text), 'ms'] : /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) return `"${text}" is not a duration (e.g. 500ms, 30s, 2m)`;
  const ms = Number(m[1]) * UNITS[m[2] ?? 'ms'];
  if (!Number.isFinite(ms) || ms < bounds.minMs || ms > bounds.maxMs) {
    const bare = m[2] === undefined && typeof text === 'string' ? ` (a bare number is milliseconds: did you mean ${text}s?)` : '';
    return `${formatDuration(ms)} is outside ${formatDuration(bounds.minMs)}..${formatDuration(bounds.maxMs)}${ms < bounds.minMs ? bare : ''}`;
  }
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)} min`;
  return `${+(ms / 3_600_000).toFixed(1)} h`;
}
