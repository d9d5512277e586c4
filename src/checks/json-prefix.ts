/**
 * Whether a text can be the beginning of a JSON document (RFC 8259): what a JSON answer cut short by
 * max_tokens or the content filter must still be. A pushdown recogniser, one character at a time.
 */

type Expect =
  | 'value' // a value (the root, after ':' or ',' in an array)
  | 'value-or-close' // after '[': a value or ']'
  | 'key' // after ',' in an object: a key string
  | 'key-or-close' // after '{': a key string or '}'
  | 'colon' // after a key
  | 'after-value'; // ',' or the container's closer (or nothing more, at the root)

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const NUMBER_START = /^-?(?:0|[1-9]\d*)?$|^-?(?:0|[1-9]\d*)\.\d*$|^-?(?:0|[1-9]\d*)(?:\.\d+)?[eE][+-]?\d*$/;
const LITERALS = ['true', 'false', 'null'];
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/**
 * Undefined when `text` is a prefix of some JSON document (the whole document included) whose root is an
 * object when `root` is 'object'; otherwise where and why it cannot be.
 */
export function jsonPrefixProblem(text: string, root: 'object' | 'any' = 'any'): string | undefined {
  const stack: Array<'{' | '['> = [];
  let expect = 'value' as Expect;
  let token: { kind: 'string'; key: boolean; escape: number | 'u' | false; hex: number } | { kind: 'number' | 'literal'; text: string } | undefined;
  let done = false;
  const at = (i: number, why: string) => `at character ${i + 1} (${JSON.stringify(text.slice(Math.max(0, i - 10), i + 1))}): ${why}`;

  /** A value ended: what the container expects next. */
  const valueEnded = () => {
    expect = 'after-value';
    if (stack.length === 0) done = true;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (token?.kind === 'string') {
      if (token.escape === 'u') {
        if (!/[0-9a-fA-F]/.test(c)) return at(i, 'a \\u escape needs four hex digits');
        if (++token.hex === 4) token.escape = false;
      } else if (token.escape !== false) {
        if (c === 'u') (token.escape = 'u'), (token.hex = 0);
        else if (ESCAPES.has(c)) token.escape = false;
        else return at(i, `\\${c} is no JSON escape`);
      } else if (c === '\\') token.escape = 1;
      else if (c === '"') {
        const key = token.key;
        token = undefined;
        if (key) expect = 'colon';
        else valueEnded();
      } else if (c < ' ') return at(i, 'a control character inside a string');
      continue;
    }
    if (token) {
      // A number or literal runs until a character that cannot continue it.
      const longer = token.text + c;
      if (token.kind === 'number' ? NUMBER_START.test(longer) : LITERALS.some((l) => l.startsWith(longer))) {
        token.text = longer;
        continue;
      }
      const complete = token.kind === 'number' ? NUMBER.test(token.text) : LITERALS.includes(token.text);
      if (!complete) return at(i, `${JSON.stringify(token.text)} is no JSON ${token.kind === 'number' ? 'number' : 'value'}`);
      token = undefined;
      valueEnded();
    }
    if (WHITESPACE.has(c)) continue;
    if (done) return at(i, 'text after the end of the document');
    const open = stack[stack.length - 1];
    switch (expect) {
      case 'colon':
        if (c !== ':') return at(i, 'a key must be followed by ":"');
        expect = 'value';
        break;
      case 'after-value':
        if (c === ',') expect = open === '{' ? 'key' : 'value';
        else if ((c === '}' && open === '{') || (c === ']' && open === '[')) {
          stack.pop();
          valueEnded();
        } else return at(i, `expected "," or "${open === '{' ? '}' : ']'}"`);
        break;
      case 'key-or-close':
      case 'key':
        if (c === '"') token = { kind: 'string', key: true, escape: false, hex: 0 };
        else if (c === '}' && expect === 'key-or-close') {
          stack.pop();
          valueEnded();
        } else return at(i, 'expected a key (a string)');
        break;
      case 'value-or-close':
        if (c === ']') {
          stack.pop();
          valueEnded();
          break;
        }
      // falls through: any value may open the array
      case 'value': {
        if (root === 'object' && stack.length === 0 && c !== '{') return at(i, 'a JSON object must start with "{"');
        if (c === '{') (stack.push('{'), (expect = 'key-or-close'));
        else if (c === '[') (stack.push('['), (expect = 'value-or-close'));
        else if (c === '"') token = { kind: 'string', key: false, escape: false, hex: 0 };
        else if (c === '-' || (c >= '0' && c <= '9')) token = { kind: 'number', text: c };
        else if (LITERALS.some((l) => l.startsWith(c))) token = { kind: 'literal', text: c };
        else return at(i, `${JSON.stringify(c)} cannot start a JSON value`);
        break;
      }
    }
  }
  return undefined;
}
