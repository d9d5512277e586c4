/**
 * Loads the requirements catalogue and the YAML cases, validating both so that a malformed case is a
 * load error naming the file and the field (a JSON pointer), never a silently skipped or passing case.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from '../ajv.ts';
import { parse as parseYaml } from 'yaml';
import { CHECKS } from '../checks/index.ts';
import type { CaseSpec, CheckSpec, OperationId, ProfileName, RequestSpec, Requirement } from '../model.ts';
import { InputError } from '../errors.ts';
import { CASES_DIR, FIXTURES_DIR, PACKAGE_ROOT as PROJECT_ROOT } from '../paths.ts';
import { PROFILE_INFO } from '../profiles.ts';
import { SchemaRegistry } from '../schemas/registry.ts';
import { requestComponent, undefinedKeys } from './defined-keys.ts';
import { requirementFor, seedOf, sourceProblems } from '../requirements.ts';
import { RENAMES_FILE_NAME } from '../renamed.ts';

export { CASES_DIR };

export class CaseLoadError extends InputError {
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s) in cases:\n  ${problems.join('\n  ')}`);
  }
}

// strictRequired is off: the case schema says "not both body and rawBody" with a required inside a not.
const ajv = createAjv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
const validateCaseFile = ajv.compile(readJson(join(CASES_DIR, 'case.schema.json')));
const validateCatalogue = ajv.compile(readJson(join(CASES_DIR, 'requirement.schema.json')));
const validatePresetFile = ajv.compile(readJson(join(CASES_DIR, 'preset.schema.json')));
const argValidators = new Map([...CHECKS.values()].map((c) => [c.name, ajv.compile(c.args)]));

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

function formatErrors(where: string, errors: ErrorObject[] | null | undefined, prefix = ''): string[] {
  return (errors ?? []).map((e) => {
    let pointer = prefix + e.instancePath;
    if (e.keyword === 'additionalProperties') pointer += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
    if (e.keyword === 'required') pointer += `/${(e.params as { missingProperty: string }).missingProperty}`;
    const detail = e.keyword === 'enum' ? `${e.message}: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : e.message;
    return `${where}: ${pointer || '/'}: ${e.keyword === 'additionalProperties' ? 'unknown field' : detail}`;
  });
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listYaml(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** The catalogue is every YAML file under cases/requirements/, one per area, merged. */
export const REQUIREMENTS_DIR = 'requirements';
/** Beside the catalogue, not part of it: the seed statements no case can evidence (src/cases/untestable.ts). */
export const UNTESTABLE_FILE = 'untestable.yaml';
/** Named lists of check entries a case's expect: splices in with `- { preset: <name> }`; optional. */
export const PRESETS_FILE = 'presets.yaml';
export { FIXTURES_DIR } from '../paths.ts';

/**
 * Loads are memoised per directory (and catalogue): every suite file of a run asks for the same cases,
 * and parsing a few hundred YAML cases costs more than running them against the emulator.
 */
const requirementsCache = new Map<string, Map<string, Requirement>>();
const casesCache = new Map<string, WeakMap<Map<string, Requirement>, CaseSpec[]>>();

export function loadRequirements(dir: string = CASES_DIR): Map<string, Requirement> {
  let cached = requirementsCache.get(dir);
  if (!cached) {
    cached = readRequirements(dir);
    requirementsCache.set(dir, cached);
  }
  return cached;
}

export function loadCases(dir: string = CASES_DIR, requirements: Map<string, Requirement> = loadRequirements(dir)): CaseSpec[] {
  let byCatalogue = casesCache.get(dir);
  if (!byCatalogue) casesCache.set(dir, (byCatalogue = new WeakMap()));
  let cached = byCatalogue.get(requirements);
  if (!cached) {
    cached = readCases(dir, requirements);
    byCatalogue.set(requirements, cached);
  }
  // Callers may filter or sort what they get; the cached list itself stays untouched.
  return [...cached];
}

/** Parses a YAML file and validates it; problems (naming the file and field) are collected, not thrown. */
function readValidated<T>(file: string, validate: ValidateFunction, problems: string[]): { where: string; data?: T } {
  const where = relative(PROJECT_ROOT, file).split(sep).join('/');
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`${where}: YAML error: ${(err as Error).message}`);
    return { where };
  }
  if (!validate(data)) {
    problems.push(...formatErrors(where, validate.errors));
    return { where };
  }
  return { where, data: data as T };
}

function readRequirements(dir: string): Map<string, Requirement> {
  const map = new Map<string, Requirement>();
  const problems: string[] = [];
  for (const file of listYaml(join(dir, REQUIREMENTS_DIR))) {
    if (file === join(dir, REQUIREMENTS_DIR, UNTESTABLE_FILE)) continue;
    const { where, data } = readValidated<{ requirements: Requirement[] }>(file, validateCatalogue, problems);
    data?.requirements.forEach((r, i) => {
      if (map.has(r.id)) problems.push(`${where}: /requirements/${i}/id: duplicate requirement id ${r.id}`);
      for (const problem of sourceProblems(r)) problems.push(`${where}: /requirements/${i}${problem}`);
      map.set(r.id, withFirstSource(r));
    });
  }
  if (problems.length) throw new CaseLoadError(problems);
  return map;
}

/** A requirement with a source per profile group carries its first source's fields too (see Requirement.sources). */
function withFirstSource(r: Requirement): Requirement {
  if (!r.sources?.length) return r;
  const { statement: _statement, profiles: _profiles, ...first } = r.sources[0];
  return { ...r, ...first };
}

type RawEntry = { check: string; requirement?: string } & Record<string, unknown>;

interface RawPresetFile {
  presets: Record<string, { description: string; expect: RawEntry[] }>;
}

interface RawCaseFile {
  operation: OperationId;
  profiles?: ProfileName[];
  seed?: string;
  needs?: string[];
  cases: Array<{
    id: string;
    title: string;
    requirement: string;
    seed?: string;
    profiles?: ProfileName[];
    needs?: string[];
    repeat?: boolean;
    request: RequestSpec;
    expect: Array<RawEntry | { preset: string }>;
  }>;
}

/**
 * One check entry, wherever it is written (a case or a preset): a known check, not naming its own default
 * requirement, arguments its schema accepts. `requirementOf` gives the entry's requirement (undefined: decided
 * later, by the case a preset is spliced into) and is checked against the catalogue.
 */
function checkEntry(
  e: RawEntry,
  where: string,
  at: string,
  problems: string[],
  requirements: Map<string, Requirement>,
  requirementOf: (named: string | undefined, byDefault: string | undefined) => string | undefined,
): CheckSpec | undefined {
  const note = (pointer: string, message: string) => problems.push(`${where}: ${at}${pointer}: ${message}`);
  const { check, requirement: named, ...args } = e;
  const def = CHECKS.get(check);
  if (!def) return void note('/check', `unknown check "${check}" (known: ${[...CHECKS.keys()].join(', ')})`);
  // Said once: an entry names a requirement only where it is not the check's own (src/checks/).
  if (named !== undefined && named === def.requirement) note('/requirement', `${named} is the default requirement of ${check}; leave it out`);
  const requirement = requirementOf(named, def.requirement);
  if (requirement !== undefined && !requirements.has(requirement)) note('/requirement', `unknown requirement ${requirement}`);
  const validateArgs = argValidators.get(check)!;
  if (!validateArgs(args)) problems.push(...formatErrors(where, validateArgs.errors, at));
  return { check, requirement: requirement ?? '', args };
}

/**
 * The presets of `dir`, each entry checked as a case's would be, problems naming the preset (its pointer).
 * A preset with a problem maps to undefined, and a presets file that does not load is undefined as a whole:
 * the cases that use them are not told the same problem again.
 */
function readPresets(dir: string, requirements: Map<string, Requirement>, problems: string[]): Map<string, RawEntry[] | undefined> | undefined {
  const presets = new Map<string, RawEntry[] | undefined>();
  const file = join(dir, PRESETS_FILE);
  if (!existsSync(file)) return presets;
  const { where, data } = readValidated<RawPresetFile>(file, validatePresetFile, problems);
  if (!data) return undefined;
  for (const [name, preset] of Object.entries(data.presets)) {
    const valid = preset.expect.map((e, j) => checkEntry(e, where, `/presets/${name}/expect/${j}`, problems, requirements, (named) => named));
    presets.set(name, valid.every(Boolean) ? preset.expect : undefined);
  }
  return presets;
}

function isPresetReference(e: RawEntry | { preset: string }): e is { preset: string } {
  return typeof (e as { preset?: unknown }).preset === 'string';
}

function readCases(dir: string, requirements: Map<string, Requirement>): CaseSpec[] {
  const problems: string[] = [];
  for (const def of CHECKS.values()) if (def.requirement !== undefined && !requirements.has(def.requirement)) problems.push(`src/checks: check ${def.name}: unknown default requirement ${def.requirement}`);
  const presets = readPresets(dir, requirements, problems);
  const cases: CaseSpec[] = [];
  const seen = new Map<string, string>();
  const skipDirs = [join(dir, REQUIREMENTS_DIR) + sep, join(dir, FIXTURES_DIR) + sep];
  for (const file of listYaml(dir)) {
    // The presets and the rename table (src/renamed.ts) live beside the cases but are no case files.
    if (skipDirs.some((d) => file.startsWith(d)) || file === join(dir, PRESETS_FILE) || file === join(dir, RENAMES_FILE_NAME)) continue;
    const { where, data: raw } = readValidated<RawCaseFile>(file, validateCaseFile, problems);
    if (!raw) continue;
    raw.cases.forEach((c, i) => {
      const at = `/cases/${i}`;
      const note = (pointer: string, message: string) => problems.push(`${where}: ${at}${pointer}: ${message}`);
      if (seen.has(c.id)) note('/id', `duplicate case id ${c.id} (also in ${seen.get(c.id)})`);
      seen.set(c.id, where);
      const profiles = c.profiles ?? raw.profiles ?? (Object.keys(PROFILE_INFO) as ProfileName[]).filter((p) => PROFILE_INFO[p].operations.includes(raw.operation));
      const catalogued = requirements.get(c.requirement);
      if (!catalogued) note('/requirement', `unknown requirement ${c.requirement}`);
      // A requirement with a source per profile: the case's level and seed are those of its first profile (a run resolves its own).
      const primary = catalogued && requirementFor(catalogued, profiles[0]);
      for (const p of profiles) if (!PROFILE_INFO[p].operations.includes(raw.operation)) note('/profiles', `profile ${p} has no ${raw.operation} operation`);
      const expect: CheckSpec[] = [];
      const requirementOf = (named: string | undefined, byDefault: string | undefined) => named ?? byDefault ?? c.requirement;
      c.expect.forEach((e, j) => {
        if (!isPresetReference(e)) {
          const spec = checkEntry(e, where, `${at}/expect/${j}`, problems, requirements, requirementOf);
          if (spec) expect.push(spec);
          return;
        }
        if (presets && !presets.has(e.preset)) return note(`/expect/${j}/preset`, `unknown preset "${e.preset}" (known: ${[...presets.keys()].join(', ') || `none, no ${PRESETS_FILE}`})`);
        // Checked in the preset file already; here each entry only takes its requirement, the case's where it names none.
        for (const entry of presets?.get(e.preset) ?? []) {
          const { check, requirement: named, ...args } = entry;
          expect.push({ check, requirement: requirementOf(named, CHECKS.get(check)!.requirement), args });
        }
      });
      for (const problem of keyProblems(raw.operation, profiles, c.request)) note('/request', problem);
      const seed = c.seed ?? raw.seed ?? (primary ? seedOf(primary) : '');
      cases.push({
        id: c.id,
        title: c.title,
        file: where,
        operation: raw.operation,
        requirement: c.requirement,
        // Said once: a case's level is its requirement's (MUST stands in only when the requirement is unknown, a load error).
        level: primary?.level ?? 'MUST',
        seed,
        profiles,
        needs: [...new Set([...(raw.needs ?? []), ...(c.needs ?? [])])],
        repeat: c.repeat ?? false,
        request: c.request,
        expect,
      });
    });
  }
  if (problems.length) throw new CaseLoadError(problems);
  return cases;
}

/**
 * Keys of the body (or multipart fields) that the request component of no profile the case runs in defines,
 * unless listed in `undefinedKeys`; and listed keys that are defined after all (a stale list).
 */
function keyProblems(operation: OperationId, profiles: ProfileName[], request: RequestSpec): string[] {
  const sent = request.body ?? request.multipart?.fields;
  if (sent === undefined) return [];
  const where = request.body !== undefined ? 'body' : 'multipart/fields';
  const registry = SchemaRegistry.shared();
  // Profiles without the operation are reported on their own; the others name the components to check against.
  const components = [...new Set(profiles.filter((p) => PROFILE_INFO[p].operations.includes(operation)).map((p) => requestComponent(operation, p)))];
  if (components.length === 0) return [];
  const perComponent = components.map((c) => new Set(undefinedKeys(registry, c, sent)));
  const undefinedEverywhere = [...perComponent[0]].filter((k) => perComponent.every((set) => set.has(k)));
  const declared = new Set(request.undefinedKeys ?? []);
  const problems = undefinedEverywhere
    .filter((k) => !declared.has(k))
    .map((k) => `/${where}${k}: a key ${components.join(' / ')} does not define (a YAML slip, such as an unquoted comma in a flow mapping? list it in undefinedKeys if it is sent on purpose)`);
  for (const k of declared) if (!undefinedEverywhere.includes(k)) problems.push(`/undefinedKeys: ${k} is not an undefined key of the ${where}`);
  return problems;
}
