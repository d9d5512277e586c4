/**
 * Lists the places where a rule is said twice: a check's `description` (src/checks/) or a fault's `breaks`
 * (emulator/faults/) whose words largely repeat the `statement` of a requirement it evidences or breaks
 * (cases/requirements/). The statement is where the rule is said; a description says what the check inspects and
 * how, a `breaks` what the emulator sends wrong. Also lists the `breaks` that read as a rule (must, should, …).
 * Run: node bin/run-ts.js scripts/prose-audit.ts [--threshold 0.6]
 */
import { fileURLToPath } from 'node:url';
import { loadCases, loadRequirements } from '../src/cases/load.ts';
import { CHECKS } from '../src/checks/index.ts';
import { FAULTS } from '../emulator/faults.ts';

const STOP = new Set('a an the and or of to in on at by for with from as is are be been its it this that these those each every any no not its their than then when where which who whose only one own per'.split(' '));

/** The content words of a text in order, lower case, without code quotes, punctuation and stop words. */
function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9_.]+/g) ?? []).map((w) => w.replace(/\.+$/, '')).filter((w) => w.length > 1 && !STOP.has(w));
}

/** The content words of a text, as a set. */
export function words(text: string): Set<string> {
  return new Set(contentWords(text));
}

/** The text's runs of three consecutive content words: shared runs mean shared phrasing, not only shared nouns. */
function trigrams(text: string): Set<string> {
  const seq = contentWords(text);
  const out = new Set<string>();
  for (let i = 0; i + 2 < seq.length; i++) out.add(seq.slice(i, i + 3).join(' '));
  return out;
}

/** Members the two sets share, over the smaller set's size (0 when either is empty). */
function shareOfSmaller(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / Math.min(a.size, b.size);
}

/** Shared words over the smaller text's words: 1 when one text's words are all in the other. */
export function overlap(a: string, b: string): number {
  return shareOfSmaller(words(a), words(b));
}

/** Shared three-word runs over the smaller text's runs. */
export function phrasing(a: string, b: string): number {
  return shareOfSmaller(trigrams(a), trigrams(b));
}

/** A text that states a rule rather than a deviation. */
export const READS_AS_RULE = /\b(must|should|shall|is required|are required|has to|have to)\b/i;

export interface NearDuplicate {
  kind: 'check description' | 'fault breaks';
  name: string;
  text: string;
  requirement: string;
  statement: string;
  score: number;
  /** Shared phrasing (three-word runs), beside the shared words of `score`. */
  phrasing: number;
}

export function audit(threshold = 0.6): { duplicates: NearDuplicate[]; ruleLike: Array<{ fault: string; breaks: string }> } {
  const requirements = loadRequirements();
  const cases = new Map(loadCases(undefined, requirements).map((c) => [c.id, c]));
  // The requirements each check evidences: its default, else those its case entries name or inherit.
  const evidenced = new Map<string, Set<string>>();
  for (const c of cases.values()) for (const e of c.expect) evidenced.set(e.check, (evidenced.get(e.check) ?? new Set()).add(e.requirement));
  const duplicates: NearDuplicate[] = [];
  const compare = (kind: NearDuplicate['kind'], name: string, text: string, ids: Iterable<string>) => {
    for (const id of ids) {
      const statement = requirements.get(id)?.statement ?? '';
      const score = overlap(text, statement);
      if (score >= threshold) duplicates.push({ kind, name, text, requirement: id, statement, score, phrasing: phrasing(text, statement) });
    }
  };
  for (const def of CHECKS.values()) compare('check description', def.name, def.description, def.requirement ? [def.requirement] : (evidenced.get(def.name) ?? []));
  for (const fault of FAULTS) {
    const broken = new Set<string>();
    for (const proof of fault.proof) {
      const check = proof.fails ?? proof.warns;
      for (const e of cases.get(proof.case)?.expect ?? []) if (e.check === check) broken.add(e.requirement);
    }
    compare('fault breaks', fault.id, fault.breaks, broken);
  }
  const ruleLike = FAULTS.filter((f) => READS_AS_RULE.test(f.breaks)).map((f) => ({ fault: f.id, breaks: f.breaks }));
  return { duplicates: duplicates.sort((a, b) => b.phrasing - a.phrasing || b.score - a.score), ruleLike };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--threshold');
  const { duplicates, ruleLike } = audit(at > 0 ? Number(process.argv[at + 1]) : undefined);
  for (const d of duplicates) console.log(`${d.score.toFixed(2)} words ${d.phrasing.toFixed(2)} phrasing: ${d.kind} ${d.name} ~ ${d.requirement}\n    text:      ${d.text}\n    statement: ${d.statement}`);
  for (const r of ruleLike) console.log(`reads as a rule: fault ${r.fault}: ${r.breaks}`);
  console.log(`${duplicates.length} near-duplicate(s), ${ruleLike.length} breaks reading as a rule`);
}
