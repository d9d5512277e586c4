/**
 * The one line a report leads with when the target itself misbehaved: unreachable from the start, stopped
 * answering after a case (named, with its curl), failed one kind of request every time, or the run was
 * interrupted — and how many cases were therefore not judged.
 */
import type { RunResults } from './model.ts';

export interface Headline {
  text: string;
  /** The culprit's request as a shell command, when there is one. */
  curl?: string;
}

export function headlines(r: RunResults): Headline[] {
  const h = r.health;
  if (!h) return [];
  const notJudged = r.cases.filter((c) => c.notJudged !== undefined).length;
  const count = notJudged ? `; ${notJudged} case(s) were therefore not judged` : '';
  const out: Headline[] = [];
  if (h.preflight && !h.preflight.ok) out.push({ text: `The target could not be used: ${h.preflight.message}. No case was judged.` });
  for (const i of h.incidents) {
    const text = i.kind === 'outage' ? `${capitalise(i.summary)}${i.recovered ? '' : count}.` : `One finding about the target: ${i.summary}${i.notJudged.length ? `; ${i.notJudged.length} more case(s) of that kind were not sent` : ''}.`;
    out.push({ text, ...(i.curl ? { curl: i.curl } : {}) });
  }
  if (h.interrupted) out.push({ text: `The run was interrupted${count}.` });
  else if (h.stoppedEarly && !h.incidents.some((i) => i.kind === 'outage' && !i.recovered)) out.push({ text: `The run stopped early: ${h.stoppedEarly}.` });
  return out;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
