/**
 * One requirement per rule, with a source per profile group where the profiles' documents differ (seed 003 for
 * azure-openai and openai, seed 000 for model-inference). A run knows its profile: it is judged at the level, and
 * reports the source, of that profile's source.
 */
import type { CaseSpec, ProfileName, Requirement, RequirementSource } from './model.ts';

/** Every source of a requirement: its `sources`, or the one its own fields name. */
export function sourcesOf(r: Requirement): RequirementSource[] {
  if (r.sources?.length) return r.sources;
  const { profiles, level, source, section, quote, basis, rationale } = r;
  return [{ profiles, level, source, section, ...(quote !== undefined ? { quote } : {}), ...(basis ? { basis } : {}), ...(rationale ? { rationale } : {}) }];
}

/** The requirement as it applies to a profile: the fields of that profile's source (the first source for a profile it does not name). */
export function requirementFor(r: Requirement, profile: ProfileName): Requirement {
  if (!r.sources?.length) return r;
  const s = r.sources.find((x) => x.profiles.includes(profile)) ?? r.sources[0];
  return {
    id: r.id,
    level: s.level,
    statement: s.statement ?? r.statement,
    source: s.source,
    section: s.section,
    profiles: r.profiles,
    ...(s.quote !== undefined ? { quote: s.quote } : {}),
    ...(s.basis ? { basis: s.basis } : {}),
    ...(s.rationale ? { rationale: s.rationale } : {}),
  };
}

/** The catalogue as it applies to a profile. */
export function requirementsFor(catalogue: ReadonlyMap<string, Requirement>, profile: ProfileName): Map<string, Requirement> {
  return new Map([...catalogue].map(([id, r]) => [id, requirementFor(r, profile)]));
}

/** A case at the level its requirement has for the profile (the loader gives it the level of the case's first profile). */
export function caseAtProfile(spec: CaseSpec, catalogue: ReadonlyMap<string, Requirement>, profile: ProfileName): CaseSpec {
  const r = catalogue.get(spec.requirement);
  if (!r?.sources?.length) return spec;
  const applied = requirementFor(r, profile);
  // A seed reference the case took from its requirement follows the profile's source too; one it names stays.
  const loaded = requirementFor(r, spec.profiles[0]);
  const seed = spec.seed === seedOf(loaded) ? seedOf(applied) : spec.seed;
  return applied.level === spec.level && seed === spec.seed ? spec : { ...spec, level: applied.level, seed };
}

/** The seed reference a case takes from its requirement when it names none. */
export function seedOf(r: Pick<Requirement, 'source' | 'section'>): string {
  return `${r.source} §${r.section}`;
}

/**
 * What is wrong with a requirement's sources: each profile of the requirement is in exactly one source, and a source
 * names no profile the requirement does not apply to.
 */
export function sourceProblems(r: Requirement): string[] {
  if (!r.sources) return [];
  const problems: string[] = [];
  const seen = new Map<ProfileName, number>();
  r.sources.forEach((s, i) => {
    for (const p of s.profiles) {
      if (!r.profiles.includes(p)) problems.push(`/sources/${i}/profiles: ${p} is not a profile of ${r.id}`);
      if (seen.has(p)) problems.push(`/sources/${i}/profiles: ${p} is also in source ${seen.get(p)}`);
      seen.set(p, i);
    }
  });
  for (const p of r.profiles) if (!seen.has(p)) problems.push(`/sources: no source for profile ${p}`);
  return problems;
}
