/**
 * What the emulator serves, in its own words: the path of each operation, which profile styles serve which
 * operations, their api-versions and schema surfaces. Deliberately not read from the judge's src/operations.ts
 * or src/profiles.ts: a reference that shared the judge's constants could never notice a wrong one
 * (test/emulator/routes.test.ts compares the two).
 */
import type { OperationId, ProfileName } from '../src/model.ts';

export interface ServedOperation {
  /** After the profile's prefix: /openai/deployments/{deployment}/<path>, /<path> (model-inference), /v1/<path>. */
  path: string;
  /** `stream: true` requests are answered as SSE (emulator/stream.ts). */
  streams: boolean;
}

export const ROUTES: Record<OperationId, ServedOperation> = {
  completions: { path: 'completions', streams: true },
  'chat.completions': { path: 'chat/completions', streams: true },
  embeddings: { path: 'embeddings', streams: false },
  'audio.transcriptions': { path: 'audio/transcriptions', streams: false },
  'audio.translations': { path: 'audio/translations', streams: false },
  'images.generations': { path: 'images/generations', streams: false },
};

/** Every operation the emulator serves. */
export const SERVED_OPERATIONS = Object.keys(ROUTES) as OperationId[];

export interface ServedProfile {
  /** The one api-version accepted; undefined for a profile without the query parameter. */
  apiVersion?: string;
  operations: readonly OperationId[];
  /** The schemas/ folder its request components are looked up in. */
  surface: string;
}

export const SERVED_PROFILES: Record<ProfileName, ServedProfile> = {
  'azure-openai': { apiVersion: '2024-06-01', operations: SERVED_OPERATIONS, surface: 'azure-openai/2024-06-01' },
  'model-inference': { apiVersion: '2024-04-01-preview', operations: ['completions'], surface: 'model-inference/2024-04-01-preview' },
  openai: { operations: SERVED_OPERATIONS, surface: 'azure-openai/2024-06-01' },
};

const BY_PATH = new Map(SERVED_OPERATIONS.map((op) => [ROUTES[op].path, op]));

export interface Route {
  profile: ProfileName;
  operation?: OperationId;
  deployment?: string;
}

/** The profile style, operation and deployment a request path names; undefined when it names none. */
export function route(pathname: string): Route | undefined {
  const azure = /^\/openai\/deployments\/([^/]+)\/(.+)$/.exec(pathname);
  if (azure) return { profile: 'azure-openai', deployment: decodeURIComponent(azure[1]), operation: BY_PATH.get(azure[2]) };
  const openai = /^\/v1\/(.+)$/.exec(pathname);
  if (openai) return { profile: 'openai', operation: BY_PATH.get(openai[1]) };
  const inference = BY_PATH.get(pathname.slice(1));
  if (inference && SERVED_PROFILES['model-inference'].operations.includes(inference)) return { profile: 'model-inference', operation: inference };
  return undefined;
}
