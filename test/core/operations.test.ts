/** The operation descriptor (src/operations.ts) agrees with what else names an operation: cases, schemas, features. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features.ts';
import { OPERATION_INFO, OPERATIONS } from '../../src/operations.ts';
import { PROFILE_INFO } from '../../src/profiles.ts';
import { SchemaRegistry } from '../../src/schemas/registry.ts';
import { cases } from '../helpers.ts';

describe('src/operations.ts', () => {
  it('lists the operations the case schema allows', () => {
    const schema = JSON.parse(readFileSync(new URL('../../cases/case.schema.json', import.meta.url), 'utf8')) as { $defs: { operation: { enum: string[] } } };
    expect([...schema.$defs.operation.enum].sort()).toEqual([...OPERATIONS].sort());
  });

  it("keeps each operation's cases in its folder and names only its own features", () => {
    for (const c of cases) {
      const info = OPERATION_INFO[c.operation];
      expect(c.file.split('/').slice(-2)[0], c.id).toBe(info.cases);
      for (const need of c.needs) expect(info.features, `${c.id} needs ${need}`).toContain(need);
    }
    for (const op of OPERATIONS) for (const f of OPERATION_INFO[op].features) expect(FEATURE_NAMES).toContain(f);
  });

  it('names components the schema files define, a stream event exactly for the streaming operations', () => {
    const registry = SchemaRegistry.shared();
    for (const op of OPERATIONS) {
      const info = OPERATION_INFO[op];
      for (const [surface, c] of Object.entries(info.components)) {
        for (const name of [c.request, ...c.response, ...(c.streamEvent ? [c.streamEvent] : [])]) expect(registry.find(name, surface), `${op}: ${surface}/${name}`).toBeDefined();
        expect(c.streamEvent !== undefined, `${op} on ${surface}`).toBe(info.streams);
      }
    }
  });

  it('gives each profile the operations its schema surface defines', () => {
    expect(PROFILE_INFO['model-inference'].operations).toEqual(['completions']);
    expect(PROFILE_INFO['azure-openai'].operations).toEqual(OPERATIONS);
    expect(PROFILE_INFO.openai.operations).toEqual(OPERATIONS);
  });
});
