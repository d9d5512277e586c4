/**
 * The emulator keeps its own copy of what it serves (emulator/routes.ts); the judge has its own
 * (src/operations.ts, src/profiles.ts). They must agree, and this is where a wrong constant on either side shows.
 */
import { describe, expect, it } from 'vitest';
import { HANDLERS } from '../../emulator/operations.ts';
import { ROUTES, route, SERVED_OPERATIONS, SERVED_PROFILES } from '../../emulator/routes.ts';
import { PROFILES } from '../../src/model.ts';
import { componentsOf, OPERATION_INFO, OPERATIONS } from '../../src/operations.ts';
import { operationUrl, PROFILE_INFO } from '../../src/profiles.ts';

describe("the emulator's route table", () => {
  it('serves the operations the judge knows, at the same paths, streaming the same ones', () => {
    expect(SERVED_OPERATIONS).toEqual(OPERATIONS);
    for (const op of OPERATIONS) expect(ROUTES[op], op).toEqual({ path: OPERATION_INFO[op].path, streams: OPERATION_INFO[op].streams });
  });

  it("accepts each profile's api-version and serves its operations from its schema surface", () => {
    for (const p of PROFILES) {
      expect(SERVED_PROFILES[p].apiVersion, p).toBe(PROFILE_INFO[p].apiVersion);
      expect(SERVED_PROFILES[p].operations, p).toEqual(PROFILE_INFO[p].operations);
      expect(SERVED_PROFILES[p].surface, p).toBe(PROFILE_INFO[p].schemaSurface);
    }
  });

  it('routes every URL the judge builds to the profile and operation it was built for', () => {
    for (const profile of PROFILES) {
      for (const operation of PROFILE_INFO[profile].operations) {
        const url = new URL(operationUrl({ profile, endpoint: 'http://127.0.0.1:1', operation, deployment: 'd 1', apiVersion: PROFILE_INFO[profile].apiVersion }));
        expect(route(url.pathname), `${profile} ${operation}`).toEqual({ profile, operation, ...(profile === 'azure-openai' ? { deployment: 'd 1' } : {}) });
      }
    }
  });

  it('validates JSON bodies against the request component the judge names', () => {
    for (const p of PROFILES) {
      for (const op of PROFILE_INFO[p].operations) {
        const component = HANDLERS[op].requestSchema?.(p);
        if (component === undefined) continue; // the handler validates itself
        const surface = PROFILE_INFO[p].schemaSurface;
        expect(component.replace(`${surface}/`, ''), `${p} ${op}`).toBe(componentsOf(op, surface)!.request);
      }
    }
  });
});
