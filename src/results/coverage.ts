/**
 * What a run covered: the requirements catalogue (requirements evidenced by a check of a case that ran)
 * and the documented request parameters (top-level properties of each operation's request component,
 * exercised when some case sends them in a request it expects to succeed).
 */
import { TRANSPORT_REQUIREMENT } from '../checks/index.ts';
import type { CaseSpec, OperationId, ProfileName, Requirement } from '../model.ts';
import { componentsOf } from '../operations.ts';
import { PROFILE_INFO } from '../profiles.ts';
import { SchemaRegistry } from '../schemas/registry.ts';

/** Azure extensions an OpenAI-compatible server is not expected to implement. */
const AZURE_ONLY_PARAMETERS: Partial<Record<ProfileName, string[]>> = { openai: ['data_sources', 'input_type'] };

export interface OperationParameters {
  documented: string[];
  exercised: string[];
  missing: string[];
}

export interface Coverage {
  requirements: { total: number; covered: number; missing: string[] };
  parameters: { documented: number; exercised: number; ratio: number; byOperation: Partial<Record<OperationId, OperationParameters>> };
}

/** Top-level properties of a component, following `allOf` and `$ref` across files. */
export function documentedProperties(component: string, surface: string, registry = SchemaRegistry.shared()): string[] {
  const seen = new Set<string>();
  const names = new Set<string>();
  const visit = (schema: Record<string, unknown>, baseId: string) => {
    for (const key of Object.keys((schema.properties as Record<string, unknown>) ?? {})) names.add(key);
    for (const part of (schema.allOf as Record<string, unknown>[] | undefined) ?? []) {
      if (typeof part.$ref === 'string') {
        const id = new URL(part.$ref, baseId).toString();
        if (seen.has(id)) continue;
        seen.add(id);
        const target = registry.find(id);
        if (target) visit(target.schema, target.id);
      } else visit(part, baseId);
    }
  };
  const root = registry.find(component, surface);
  if (!root) return [];
  visit(root.schema, root.id);
  return [...names].sort();
}

/** A case whose request is meant to succeed: it expects a 2xx status. */
function expectsSuccess(spec: CaseSpec): boolean {
  return spec.expect.some((e) => (e.check === 'status' && [e.args.equals].flat().some((s) => Number(s) >= 200 && Number(s) < 300)) || (e.check === 'status-class' && e.args.class === '2xx'));
}

function sentParameters(spec: CaseSpec): string[] {
  const body = spec.request.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) return Object.keys(body);
  if (spec.request.multipart) return [...Object.keys(spec.request.multipart.fields ?? {}), ...Object.keys(spec.request.multipart.files ?? {})];
  return [];
}

/**
 * @param ran the cases that ran in this profile (not skipped).
 * @param requirements the whole catalogue; only requirements applying to `profile` count.
 */
export function computeCoverage(ran: CaseSpec[], requirements: Map<string, Requirement>, profile: ProfileName, alsoEvidenced: string[] = []): Coverage {
  const applicable = [...requirements.values()].filter((r) => r.profiles.includes(profile)).map((r) => r.id);
  const evidenced = new Set(ran.flatMap((c) => [c.requirement, ...c.expect.map((e) => e.requirement)]));
  // Every case that runs carries the engine's own transport check, and the second judges' when they are on.
  if (ran.length) for (const id of [TRANSPORT_REQUIREMENT, ...alsoEvidenced]) evidenced.add(id);
  const missingRequirements = applicable.filter((id) => !evidenced.has(id)).sort();

  const surface = PROFILE_INFO[profile].schemaSurface;
  const byOperation: Coverage['parameters']['byOperation'] = {};
  let documented = 0;
  let exercised = 0;
  for (const operation of PROFILE_INFO[profile].operations) {
    const component = componentsOf(operation, surface)?.request;
    if (!component) continue;
    const names = documentedProperties(component, surface).filter((n) => !AZURE_ONLY_PARAMETERS[profile]?.includes(n));
    const sent = new Set(ran.filter((c) => c.operation === operation && expectsSuccess(c)).flatMap(sentParameters));
    const hit = names.filter((n) => sent.has(n));
    byOperation[operation] = { documented: names, exercised: hit, missing: names.filter((n) => !sent.has(n)) };
    documented += names.length;
    exercised += hit.length;
  }
  return {
    requirements: { total: applicable.length, covered: applicable.length - missingRequirements.length, missing: missingRequirements },
    parameters: { documented, exercised, ratio: documented ? exercised / documented : 1, byOperation },
  };
}

