/** The beginning of a JSON document: what a JSON-mode answer cut short must still be (src/checks/json-prefix.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPrefixProblem } from '../../src/checks/json-prefix.ts';

/** The prefixes of `text` the check refuses (none is right). Checking every prefix is quadratic, so values are kept small. */
function refusedPrefixes(text: string, root?: 'object'): string[] {
  const refused: string[] = [];
  for (let cut = 0; cut <= text.length; cut++) if (jsonPrefixProblem(text.slice(0, cut), root) !== undefined) refused.push(text.slice(0, cut));
  return refused;
}

const value = fc.jsonValue({ maxDepth: 3 });

describe('jsonPrefixProblem', () => {
  it('accepts every prefix of any JSON object, compact or indented', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value, { maxKeys: 8 }), fc.constantFrom(undefined, 2), (object, indent) => {
        expect(refusedPrefixes(JSON.stringify(object, null, indent), 'object')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('accepts every prefix of any JSON value when the root may be anything', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(refusedPrefixes(JSON.stringify(v))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['plain text', 'Lorem ipsum dolor sit amet'],
    ['text before the object', 'Here you go: {"a":1}'],
    ['an array where an object is wanted', '[1,2'],
    ['a key that is not a string', '{a: 1}'],
    ['a missing colon', '{"a" 1'],
    ['a leading zero', '{"a": 01'],
    ['a bad escape', '{"a": "\\x'],
    ['a bad literal', '{"a": tru '],
    ['a raw newline in a string', '{"a": "x\ny'],
    ['text after the document', '{"a": 1} and more'],
    ['a trailing comma', '{"a": 1,}'],
    ['a mismatched closer', '{"a": [1}'],
  ])('rejects %s', (_name, text) => {
    expect(jsonPrefixProblem(text, 'object')).toMatch(/^at character \d+/);
  });

  it('accepts a document cut inside a string, an escape, a number or a literal', () => {
    for (const text of ['{"reply": "This is a', '{"reply": "a\\', '{"reply": "\\u00', '{"n": -1.5e', '{"ok": tr', '{"a": [1, {"b": nul']) expect(jsonPrefixProblem(text, 'object'), text).toBeUndefined();
  });
});
