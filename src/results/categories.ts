/**
 * The report matrix's columns: which part of the contract a check result looks at. A credential
 * requirement makes any check on it `auth`; otherwise the check's declared `category` decides
 * (src/checks/). A check that evidences whatever rule it is given (a status code), the transport
 * pseudo-check and a check this version does not know (a results file from another) take the
 * column of the requirement, read from its id; anything left is `semantics`.
 */
import { CHECKS } from '../checks/index.ts';
import type { Category } from './model.ts';

const BY_REQUIREMENT: Array<[RegExp, Category]> = [
  [/STREAM|SSE|CHUNK|DELTA/, 'streaming'],
  // A message's content type (text or image parts) is not the HTTP Content-Type.
  [/HEADER|(?<!MESSAGE-)CONTENT-TYPE|REQUEST-ID|RETRY-AFTER|RATE-LIMIT/, 'headers'],
  [/RANGE|BOUND|LIMIT|MAX|MIN|LENGTH|TOO-(LONG|MANY|LARGE)/, 'bounds'],
  [/ERROR|INVALID|REJECT|REQUIRED|UNKNOWN|MISSING|NOT-FOUND|VALIDATION|(^|-)4\d\d($|-)/, 'errors'],
  [/SCHEMA|SHAPE/, 'schema'],
];

const AUTH = /AUTH|CREDENTIAL|API-KEY|BEARER/;

export function categoryOf(check: string, requirement: string): Category {
  if (AUTH.test(requirement)) return 'auth';
  const declared = CHECKS.get(check)?.category;
  if (declared && declared !== 'of-requirement') return declared;
  for (const [pattern, category] of BY_REQUIREMENT) if (pattern.test(requirement)) return category;
  return 'semantics';
}
