/**
 * Named legal variations: the mirror of the faults (./faults.ts). Each makes the emulator send a response the
 * documents allow but that is unusual, citing the seed line that allows it; the project's tests prove every case
 * passes under each and under all at once (test/engine/variations.test.ts). `aoai-conformance list variations`
 * prints them. Each area keeps its variations in emulator/variations/<area>.ts; this file dispatches their hooks
 * in registry order (so when two touch the same member, the later one wins).
 */
import type { StreamItem } from './stream.ts';
import { VARIATIONS as audio } from './variations/audio.ts';
import { VARIATIONS as bodies } from './variations/bodies.ts';
import { VARIATIONS as errors } from './variations/errors.ts';
import { VARIATIONS as http } from './variations/http.ts';
import { VARIATIONS as omitted } from './variations/omitted.ts';
import { VARIATIONS as streaming } from './variations/streaming.ts';
import type { ReplyInfo, Variation } from './variations/types.ts';

export { RESPONSE_KINDS, type ReplyInfo, type ResponseKind, type SeedQuote, type Variation, type VariationArea } from './variations/types.ts';

// Order matters where hooks meet: streams are re-chunked (streaming) before chunks are decorated (bodies), and
// framing rewrites run before the transport's fragmentation (http), which must see the final bytes.
export const VARIATIONS: readonly Variation[] = [...omitted, ...streaming, ...bodies, ...errors, ...audio, ...http];

export const VARIATION_IDS: ReadonlySet<string> = new Set(VARIATIONS.map((v) => v.id));
if (VARIATION_IDS.size !== VARIATIONS.length) throw new Error('duplicate variation id in emulator/variations/');

type Json = Record<string, unknown>;

export class VariationSet {
  private readonly active: readonly Variation[];

  constructor(ids: Iterable<string> = []) {
    const wanted = new Set(ids);
    for (const id of wanted) if (!VARIATION_IDS.has(id)) throw new Error(`unknown variation "${id}" (see list variations)`);
    this.active = VARIATIONS.filter((v) => wanted.has(v.id));
  }

  has(id: string): boolean {
    return this.active.some((v) => v.id === id);
  }

  list(): string[] {
    return this.active.map((v) => v.id);
  }

  /** The active variations that shape this reply (an error outside any operation concerns every operation). */
  private applying(info: Pick<ReplyInfo, 'profile' | 'operation'>): Variation[] {
    return this.active.filter((v) => (info.operation === undefined || v.operations.includes(info.operation)) && (!v.profiles || v.profiles.includes(info.profile)));
  }

  /** Reshapes a JSON body in place: success hooks for 2xx, error hooks for ≥ 400. */
  body(body: unknown, info: ReplyInfo): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
    for (const v of this.applying(info)) (info.status >= 400 ? v.error : info.status < 300 ? v.success : undefined)?.(body as Json, info);
  }

  text(body: string, info: ReplyInfo): string {
    return this.applying(info).reduce((text, v) => v.text?.(text, info) ?? text, body);
  }

  plan(items: StreamItem[], info: ReplyInfo): StreamItem[] {
    return this.applying(info).reduce((out, v) => v.plan?.(out, info) ?? out, items);
  }

  frames(frames: AsyncIterable<string | Buffer>, info: Pick<ReplyInfo, 'profile' | 'operation'>): AsyncIterable<string | Buffer> {
    return this.applying(info).reduce((out, v) => v.frames?.(out) ?? out, frames);
  }

  streamStyle(style: 'azure' | 'openai', info: Pick<ReplyInfo, 'profile' | 'operation'>): 'azure' | 'openai' {
    return this.applying(info).reduce((s, v) => v.streamStyle?.(s, info.profile) ?? s, style);
  }

  headers(headers: Record<string, string>, kind: 'json' | 'stream' | 'other', info: Pick<ReplyInfo, 'profile' | 'operation'>): void {
    for (const v of this.applying(info)) v.headers?.(headers, kind);
  }

  /** A JSON body as text: compact, unless a variation pretty-prints it. */
  serialise(body: unknown, info: Pick<ReplyInfo, 'profile' | 'operation'>): string {
    const indent = this.applying(info).find((v) => v.jsonIndent !== undefined)?.jsonIndent;
    return indent === undefined ? JSON.stringify(body) : `${JSON.stringify(body, null, indent)}\n`;
  }

  chunked(info: Pick<ReplyInfo, 'profile' | 'operation'>): boolean {
    return this.applying(info).some((v) => v.chunked);
  }
}
