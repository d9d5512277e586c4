/** Fault ids are typed by the fault definitions: a misspelt id fails to compile, and an unknown one given at run time is refused. */
import { describe, expect, it } from 'vitest';
import { type FaultId, FaultSet } from '../../emulator/faults.ts';

describe('fault ids', () => {
  it('are checked by the compiler where the code names them', () => {
    const faults = new FaultSet(['n-ignored']);
    const known: FaultId = 'n-ignored';
    expect(faults.has(known)).toBe(true);
    // @ts-expect-error — not a fault id: `npx tsc --noEmit` fails if this ever compiles.
    expect(faults.has('n-ignord')).toBe(false);
  });

  it('are checked at run time where they arrive as strings', () => {
    expect(() => new FaultSet(['n-ignord'])).toThrow(/unknown fault "n-ignord"/);
  });
});
