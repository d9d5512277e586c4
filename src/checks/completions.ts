/**
 * Checks specific to text completions (POST …/completions, non-streaming), for every profile.
 * Each check: one rule, a name, an args schema; see ./types.ts. They read the request the case sent
 * (prompts, n, best_of, max_tokens, stop, echo, logprobs) and judge the 200 body against it.
 */
import { unproven, whenArg } from './proof.ts';
import { NO_CHOICES } from './semantics.ts';
import { numberParam, promptList, requestedChoices, requestedN, stopSequences } from './request.ts';
import { type CheckDefinition, type CheckOutcome, fail, isRecord, noArgs, pass, verdict, choicesOf } from './types.ts';

/** The finding of choices that carry no logprobs although asked to: completions-logprobs-present's (CheckOutcome.findings). */
const NO_LOGPROBS = 'completions: a choice without logprobs';

const noChoices = (expected: unknown): CheckOutcome => ({ ...fail(expected, '(no choices array)', 'the body has no choices array'), findings: [NO_CHOICES] });
/** No choice at all: nothing a per-choice rule could be judged on (choice-count reports it). */
const emptyChoices = (expected: unknown): CheckOutcome => ({ ...fail(expected, '[]', 'the body has no choices to judge'), findings: [NO_CHOICES] });

export const choicesPerPrompt: CheckDefinition = {
  name: 'completions-choice-count',
  requirement: 'AOAI-COMPLETIONS-CHOICES-PER-PROMPT',
  category: 'semantics',
  description: 'Counts the `choices` against prompts × n (n default 1; best_of candidates are not returned).',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const prompts = promptList(requestBody).count;
    const n = requestedN(requestBody);
    const expected = requestedChoices(requestBody);
    const choices = choicesOf(response.json);
    if (!choices) return noChoices(`${expected} choices`);
    const outcome = verdict(choices.length === expected, `${expected} choices (${prompts} prompt(s) × n = ${n})`, choices.length, `${choices.length} choices for ${prompts} prompt(s) × n = ${n}`);
    return choices.length === 0 ? { ...outcome, findings: [NO_CHOICES] } : outcome;
  },
};

export const finishReason: CheckDefinition = {
  name: 'completions-finish-reason',
  category: 'semantics',
  description: "Compares every choice's finish_reason with `equals`; with `when`, only if the response's usage proves the choices were cut by max_tokens (or were not), since a model may stop by itself before the limit.",
  needsJson: true,
  args: {
    type: 'object',
    additionalProperties: false,
    required: ['equals'],
    properties: { equals: { enum: ['stop', 'length', 'content_filter'] }, when: whenArg },
  },
  run({ response, args, requestBody }) {
    const choices = choicesOf(response.json);
    if (!choices) return noChoices(`finish_reason ${String(args.equals)}`);
    if (choices.length === 0) return emptyChoices(`finish_reason ${String(args.equals)}`);
    const reasons = choices.map((c) => (isRecord(c) ? c.finish_reason : undefined));
    const expected = `every finish_reason "${String(args.equals)}"`;
    const skip = unproven(args.when, response.json, requestBody);
    if (skip) return pass(expected, reasons, skip);
    const ok = reasons.length > 0 && reasons.every((r) => r === args.equals);
    return verdict(ok, expected, reasons, `finish_reason is ${JSON.stringify(reasons)}, expected "${String(args.equals)}" for every choice`);
  },
};

export const tokensWithinMax: CheckDefinition = {
  name: 'completions-tokens-within-max',
  requirement: 'AOAI-COMPLETIONS-MAX-TOKENS',
  category: 'bounds',
  description: 'Compares usage.completion_tokens with max_tokens × prompts × max(n, best_of): best_of candidates are generated, so they count.',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const max = numberParam(requestBody, 'max_tokens');
    if (max === undefined) return { ok: 'error', expected: 'a request with max_tokens', actual: '(none)', message: 'the case sends no max_tokens, so there is no bound to check' };
    const usage = isRecord(response.json) ? response.json.usage : undefined;
    const completion = isRecord(usage) ? usage.completion_tokens : undefined;
    if (typeof completion !== 'number') return pass(`completion_tokens ≤ bound`, usage ?? '(no usage)', 'no usage.completion_tokens to compare (usage presence is its own check)');
    const completions = promptList(requestBody).count * Math.max(requestedN(requestBody), numberParam(requestBody, 'best_of') ?? 1);
    const bound = max * completions;
    return verdict(completion <= bound, `completion_tokens ≤ ${bound} (max_tokens ${max})`, completion, `completion_tokens ${completion} exceeds max_tokens ${max} × ${completions} completion(s) = ${bound}`);
  },
};

/** The generated part of a choice's text: with echo, the echoed prompt is not generated text. */
function generatedText(text: string, echo: boolean, prompts: string[] | undefined): string {
  if (!echo || !prompts) return text;
  const echoed = prompts.filter((p) => text.startsWith(p)).sort((a, b) => b.length - a.length)[0];
  return echoed === undefined ? text : text.slice(echoed.length);
}

export const stopAbsent: CheckDefinition = {
  name: 'completions-stop-absent',
  requirement: 'AOAI-COMPLETIONS-STOP-EXCLUDED',
  category: 'semantics',
  description: `Searches each choice's \`text\` for the request's stop sequences ("the returned text will not contain the stop sequence"); an echoed prompt is left out of the search.`,
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const stops = stopSequences(requestBody);
    if (stops.length === 0) return { ok: 'error', expected: 'a request with stop', actual: '(none)', message: 'the case sends no stop sequence' };
    const choices = choicesOf(response.json);
    if (!choices) return noChoices(`texts without ${JSON.stringify(stops)}`);
    if (choices.length === 0) return emptyChoices(`texts without ${JSON.stringify(stops)}`);
    // A choice without text cannot show that the stop sequence was left out (the schema requires text).
    const textless = choices.findIndex((c) => !(isRecord(c) && typeof c.text === 'string'));
    if (textless >= 0) return fail(`texts without ${JSON.stringify(stops)}`, choices[textless], `choice ${textless} has no text to judge`);
    const echo = isRecord(requestBody) && requestBody.echo === true;
    const prompts = promptList(requestBody).texts;
    const offending = choices.flatMap((c, i) => {
      const text = generatedText((c as Record<string, unknown>).text as string, echo, prompts);
      const found = stops.filter((s) => text.includes(s));
      return found.length ? [{ choice: i, contains: found, text: text.slice(-120) }] : [];
    });
    return verdict(offending.length === 0, `no text contains ${JSON.stringify(stops)}`, offending.length ? offending : 'none contains a stop sequence', `choice text contains a stop sequence: ${JSON.stringify(offending[0])}`);
  },
};

export const echoPrefix: CheckDefinition = {
  name: 'completions-echo-prefix',
  requirement: 'AOAI-COMPLETIONS-ECHO',
  category: 'semantics',
  description: "Compares the start of every choice's `text` with the request's string prompt (with several prompts, with any of them: the seed fixes no order); token prompts cannot be compared and end as an error.",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const prompts = promptList(requestBody).texts;
    if (!prompts) return { ok: 'error', expected: 'a request with a string prompt', actual: '(token prompt)', message: 'echo-prefix needs string prompts to compare with' };
    const choices = choicesOf(response.json);
    if (!choices) return noChoices('texts starting with the prompt');
    if (choices.length === 0) return emptyChoices('texts starting with the prompt');
    // With one prompt every choice echoes it; with several, the documents do not fix the order, so any prompt will do.
    const bad = choices.flatMap((c, i) => {
      const text = isRecord(c) && typeof c.text === 'string' ? c.text : undefined;
      return text !== undefined && prompts.some((p) => text.startsWith(p)) ? [] : [{ choice: i, text: text?.slice(0, 120) ?? '(no text)' }];
    });
    return verdict(choices.length > 0 && bad.length === 0, prompts.length === 1 ? `text starts with ${JSON.stringify(prompts[0])}` : 'each text starts with one of the prompts', bad.length ? bad : `${choices.length} choice(s) echo their prompt`, `choice ${bad[0]?.choice} does not start with its prompt: ${JSON.stringify(bad[0]?.text)}`);
  },
};

function requestedLogprobs(body: unknown): number | undefined {
  return numberParam(body, 'logprobs');
}

function logprobsObjects(json: unknown): Array<Record<string, unknown> | undefined> | undefined {
  return choicesOf(json)?.map((c) => (isRecord(c) && isRecord(c.logprobs) ? c.logprobs : undefined));
}

export const logprobsPresent: CheckDefinition = {
  name: 'completions-logprobs-present',
  requirement: 'AOAI-COMPLETIONS-LOGPROBS',
  category: 'semantics',
  description: 'Looks for a `logprobs` object in every choice when the request sets logprobs.',
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    if (requestedLogprobs(requestBody) === undefined) return { ok: 'error', expected: 'a request with logprobs', actual: '(none)', message: 'the case does not request logprobs' };
    const all = logprobsObjects(response.json);
    if (!all) return noChoices('choices with logprobs');
    if (all.length === 0) return emptyChoices('choices with logprobs');
    // Seed 003 promises the log probabilities but defines no shape for them: the arrays are judged by completions-logprobs-aligned.
    const missing = all.flatMap((lp, i) => (lp ? [] : [i]));
    const outcome = verdict(missing.length === 0, 'a logprobs object in every choice', missing.length ? { choicesWithout: missing } : 'present', `choice(s) ${missing.join(', ')} carry no logprobs although logprobs was requested`);
    return missing.length ? { ...outcome, findings: [NO_LOGPROBS] } : outcome;
  },
};

const PARALLEL = ['tokens', 'token_logprobs', 'top_logprobs', 'text_offset'] as const;

export const logprobsAligned: CheckDefinition = {
  name: 'completions-logprobs-aligned',
  requirement: 'AOAI-COMPLETIONS-LOGPROBS-ALIGNED',
  category: 'semantics',
  description: "Measures the arrays of each choice's logprobs (tokens, token_logprobs, top_logprobs, text_offset) and compares their lengths.",
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const all = logprobsObjects(response.json);
    if (!all) return noChoices('aligned logprobs arrays');
    const without = missingLogprobs(all, 'aligned logprobs arrays');
    if (without) return without;
    const bad = all.flatMap((lp, i) => {
      if (!lp) return [];
      const lengths = Object.fromEntries(PARALLEL.map((k) => [k, Array.isArray(lp[k]) ? (lp[k] as unknown[]).length : null]));
      const values = Object.values(lengths);
      return values.every((v) => v !== null && v === values[0]) ? [] : [{ choice: i, lengths }];
    });
    return verdict(bad.length === 0, `${PARALLEL.join(', ')}: arrays of equal length`, bad.length ? bad : 'aligned', `choice ${bad[0]?.choice}: logprobs arrays differ: ${JSON.stringify(bad[0]?.lengths)}`);
  },
};

/** Choices without a logprobs object give nothing to judge: completions-logprobs-present's finding. */
function missingLogprobs(all: Array<Record<string, unknown> | undefined>, expected: string): CheckOutcome | undefined {
  if (all.length === 0) return emptyChoices(expected);
  const without = all.flatMap((lp, i) => (lp && Array.isArray(lp.tokens) ? [] : [i]));
  return without.length ? { ...fail(expected, { choicesWithout: without }, `choice(s) ${without.join(', ')} carry no logprobs to judge`), findings: [NO_LOGPROBS] } : undefined;
}

/** Sizes of every non-null top_logprobs entry, per choice. */
function topLogprobsSizes(json: unknown): Array<{ choice: number; position: number; size: number }> | undefined {
  const all = logprobsObjects(json);
  if (!all) return undefined;
  return all.flatMap((lp, choice) =>
    lp && Array.isArray(lp.top_logprobs) ? lp.top_logprobs.flatMap((e, position) => (isRecord(e) ? [{ choice, position, size: Object.keys(e).length }] : [])) : [],
  );
}

export const topLogprobsAtMost: CheckDefinition = {
  name: 'completions-top-logprobs-at-most',
  requirement: 'AOAI-COMPLETIONS-TOP-LOGPROBS-MAX',
  category: 'bounds',
  description: "Counts the tokens in every `top_logprobs` entry against the request's `logprobs` + 1 (the most likely tokens plus the sampled one).",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const k = requestedLogprobs(requestBody);
    if (k === undefined) return { ok: 'error', expected: 'a request with logprobs', actual: '(none)', message: 'the case does not request logprobs' };
    const sizes = topLogprobsSizes(response.json);
    if (!sizes) return noChoices(`top_logprobs entries of ≤ ${k + 1}`);
    const without = missingLogprobs(logprobsObjects(response.json)!, `top_logprobs entries of ≤ ${k + 1}`);
    if (without) return without;
    const over = sizes.filter((s) => s.size > k + 1);
    return verdict(over.length === 0, `≤ ${k + 1} tokens per top_logprobs entry`, over.length ? over.slice(0, 5) : `${sizes.length} entries within bound`, `top_logprobs entry at choice ${over[0]?.choice}, position ${over[0]?.position} has ${over[0]?.size} tokens (logprobs = ${k} allows ${k + 1})`);
  },
};

export const topLogprobsAtLeast: CheckDefinition = {
  name: 'completions-top-logprobs-at-least',
  requirement: 'AOAI-COMPLETIONS-TOP-LOGPROBS-MIN',
  category: 'bounds',
  description: "Counts the tokens in every `top_logprobs` entry against the request's `logprobs`.",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const k = requestedLogprobs(requestBody);
    if (k === undefined) return { ok: 'error', expected: 'a request with logprobs', actual: '(none)', message: 'the case does not request logprobs' };
    const all = logprobsObjects(response.json);
    const sizes = topLogprobsSizes(response.json);
    if (!all || !sizes) return noChoices(`top_logprobs entries of ≥ ${k}`);
    const without = missingLogprobs(all, `top_logprobs entries of ≥ ${k}`);
    if (without) return without;
    if (k > 0 && all.some((lp) => lp && !Array.isArray(lp.top_logprobs))) return fail(`top_logprobs with ≥ ${k} tokens per position`, '(no top_logprobs array)', 'a choice has logprobs but no top_logprobs array');
    const under = sizes.filter((s) => s.size < k);
    return verdict(under.length === 0, `≥ ${k} tokens per top_logprobs entry`, under.length ? under.slice(0, 5) : `${sizes.length} entries within bound`, `top_logprobs entry at choice ${under[0]?.choice}, position ${under[0]?.position} has ${under[0]?.size} tokens, fewer than logprobs = ${k}`);
  },
};

export const usagePresent: CheckDefinition = {
  name: 'completions-usage-present',
  requirement: 'MI-COMPLETIONS-USAGE-PRESENT',
  category: 'semantics',
  description: 'Looks for `usage` in the body of a non-streamed completion and whether it is an object.',
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const usage = isRecord(response.json) ? response.json.usage : undefined;
    return verdict(isRecord(usage), 'a usage object', usage === undefined ? '(absent)' : usage, `usage is ${usage === undefined ? 'absent' : JSON.stringify(usage)}`);
  },
};

export const usageSums: CheckDefinition = {
  name: 'completions-usage-sums',
  requirement: 'AOAI-USAGE-TOTAL',
  category: 'semantics',
  description: 'Adds prompt_tokens and completion_tokens and compares the sum with total_tokens; a body without usage, or without numeric counts, is not judged (see completions-usage-present).',
  needsJson: true,
  args: noArgs,
  run({ response }) {
    const usage = isRecord(response.json) ? response.json.usage : undefined;
    if (!isRecord(usage)) return pass('total = prompt + completion, when usage is present', usage ?? '(absent)', 'no usage to sum');
    const { prompt_tokens: p, completion_tokens: c, total_tokens: t } = usage;
    // Seed 003's completions usage table marks no count required: a missing count leaves nothing to add up.
    if (typeof p !== 'number' || typeof c !== 'number' || typeof t !== 'number') return pass('total = prompt + completion, when usage is present', usage, 'not judged: usage lacks a numeric count to add up');
    return verdict(p + c === t, `total_tokens = ${p} + ${c} = ${p + c}`, `total_tokens = ${t}`, `total_tokens ${t} ≠ prompt_tokens ${p} + completion_tokens ${c}`);
  },
};

export const promptFilterIndexes: CheckDefinition = {
  name: 'completions-prompt-filter-indexes',
  requirement: 'AOAI-COMPLETIONS-PROMPT-FILTER-INDEXES',
  category: 'semantics',
  description: "Collects the `prompt_index` of every prompt_filter_results entry, when present, and compares them with the request's prompts 0..prompts-1, none twice.",
  needsJson: true,
  args: noArgs,
  run({ response, requestBody }) {
    const results = isRecord(response.json) ? response.json.prompt_filter_results : undefined;
    const prompts = promptList(requestBody).count;
    if (!Array.isArray(results)) return pass(`prompt_index in 0..${prompts - 1}`, results ?? '(absent)', 'no prompt_filter_results to judge');
    const indexes = results.map((r) => (isRecord(r) ? r.prompt_index : undefined));
    const valid = indexes.every((i) => typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < prompts);
    const unique = new Set(indexes).size === indexes.length;
    return verdict(valid && unique, `distinct prompt_index values within 0..${prompts - 1}`, indexes, `prompt_filter_results prompt_index values ${JSON.stringify(indexes)} do not name the request's ${prompts} prompt(s) once each`);
  },
};

export const CHECKS: CheckDefinition[] = [
  choicesPerPrompt,
  finishReason,
  tokensWithinMax,
  stopAbsent,
  echoPrefix,
  logprobsPresent,
  logprobsAligned,
  topLogprobsAtMost,
  topLogprobsAtLeast,
  usagePresent,
  usageSums,
  promptFilterIndexes,
];
