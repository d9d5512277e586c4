/**
 * The report matrix's columns: which part of the contract a check result looks at. A credential
 * requirement makes any check on it `auth`; otherwise the check's own `category` decides; otherwise
 * its name, then its requirement id; anything left is `semantics`.
 */
import { CHECKS } from '../src/checks/index.ts';
import type { Category } from '../src/results/model.ts';

const BY_CHECK_NAME: Array<[RegExp, Category]> = [
  [/stream|sse|chunk|delta|event/, 'streaming'],
  [/header|content-type|request-id|retry-after|rate-limit/, 'headers'],
  [/schema/, 'schema'],
  [/range|bound|limit|max|min|length/, 'bounds'],
];

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
  if (declared) return declared;
  for (const [pattern, category] of BY_CHECK_NAME) if (pattern.test(check)) return category;
  for (const [pattern, category] of BY_REQUIREMENT) if (pattern.test(requirement)) return category;
  return 'semantics';
}
