/**
 * Colour on the terminal, by the usual conventions: FORCE_COLOR decides when it is set, as in Node
 * itself ("", 1, 2, 3 or true: on; anything else, e.g. 0 or false: off); then NO_COLOR (any non-empty value, https://no-color.org) turns it off;
 * otherwise colour only on a TTY whose TERM is not "dumb". Plain SGR codes: nothing here needs more.
 */
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  magenta(text: string): string;
  cyan(text: string): string;
}

export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force);
  if (env.NO_COLOR) return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string) => text;

export function palette(on: boolean): Palette {
  if (!on) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, magenta: plain, cyan: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), magenta: sgr(35, 39), cyan: sgr(36, 39) };
}
