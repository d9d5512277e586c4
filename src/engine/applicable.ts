/**
 * Whether a case applies to a target, and the verdict of a case the run was interrupted before: what the CLI decides
 * before a run, apart from run-case.ts so that deciding it does not load the engine and every check (0.1 s of each
 * run's start, on the thread that then serves the embedded emulator).
 */
import type { CaseSpec } from '../model.ts';
import { OPERATION_INFO } from '../operations.ts';
import { authOf, type Target } from '../target.ts';

export const INTERRUPTED = 'not judged: the run was interrupted';

/** How a skip reason says the case is for other profiles than the target's (recognised by isForOtherProfiles). */
const OTHER_PROFILES = 'applies to ';

/** Whether a skip reason (notApplicable's) says the case is for other profiles than the target's. */
export function isForOtherProfiles(skipReason: string | undefined): boolean {
  return (skipReason ?? '').startsWith(OTHER_PROFILES);
}

/** Why a case does not apply to this target, or undefined when it does. */
export function notApplicable(spec: CaseSpec, target: Target): string | undefined {
  if (!spec.profiles.includes(target.profile)) return `${OTHER_PROFILES}${spec.profiles.join(', ')}, not ${target.profile}`;
  const capability = OPERATION_INFO[spec.operation].capability;
  if (!target.deployments[capability]) return `the target declares no ${capability} deployment`;
  const off = spec.needs.filter((f) => target.disabledFeatures.includes(f));
  if (off.length) return `the target switches off ${off.join(', ')}`;
  if ((spec.request.auth ?? 'default') !== 'default' && authOf(target).kind === 'none') return 'the target declares no authentication (--no-auth): there is no credential to reject or to send another way';
  return undefined;
}
