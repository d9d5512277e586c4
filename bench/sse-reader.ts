/**
 * Throughput of readSse against a plain read of the same bytes, plus peak heap growth
 * with keepEvents:false. Prints figures only.
 *
 *   node bin/run-ts.js bench/sse-reader.ts [targetMB=40] [rounds=5]
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readSse } from '../src/sse/reader.ts';

const targetBytes = Number(process.argv[2] ?? 40) * 1024 * 1024;
const rounds = Number(process.argv[3] ?? 5);

/** Deterministic PRNG so runs are comparable. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(42);

const WORDS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.', ' Größe', ' 東京', ' 😀', '\n'];

/** A recorded chat stream: realistic chunk events, a usage chunk at the end of each completion, [DONE]. */
function buildStreamText(): string {
  const parts: string[] = [];
  let size = 0;
  let completion = 0;
  while (size < targetBytes) {
    const id = `chatcmpl-${(completion++).toString(36).padStart(10, '0')}`;
    const base = { id, object: 'chat.completion.chunk', created: 1_718_000_000 + completion, model: 'gpt-4o-2024-05-13', system_fingerprint: 'fp_abc123' };
    const tokens = 50 + Math.floor(random() * 400);
    for (let i = 0; i < tokens; i++) {
      const delta = i === 0 ? { role: 'assistant', content: '' } : { content: WORDS[Math.floor(random() * WORDS.length)] };
      const event = `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] })}\n\n`;
      parts.push(event);
      size += event.length;
    }
    parts.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] })}\n\n`);
    parts.push('data: [DONE]\n\n');
  }
  return parts.join('');
}

/** Cuts the bytes at random boundaries, sized like socket reads (1 B to 16 KiB). */
function splitRandomly(bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let pos = 0; pos < bytes.length; ) {
    const size = random() < 0.05 ? 1 + Math.floor(random() * 64) : 1024 + Math.floor(random() * 15 * 1024);
    chunks.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  return chunks;
}

async function* replay(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function plainRead(chunks: Uint8Array[]): Promise<number> {
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  let chars = 0;
  for await (const chunk of replay(chunks)) {
    bytes += chunk.length;
    chars += decoder.decode(chunk, { stream: true }).length;
  }
  return bytes + chars;
}

const limits = { idleTimeoutMs: 60_000, maxEvents: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER };

async function sseRead(chunks: Uint8Array[], keepEvents: boolean): Promise<number> {
  const result = await readSse(replay(chunks), { ...limits, keepEvents });
  if (result.end.kind !== 'eof') throw new Error(`unexpected end ${JSON.stringify(result.end)}`);
  return result.diagnostics.eventCount;
}

async function bestOf(label: string, totalBytes: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    collectGarbage();
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  const best = Math.min(...times);
  const mbPerS = totalBytes / 1024 / 1024 / (best / 1000);
  console.log(`${label.padEnd(30)} best ${best.toFixed(1).padStart(7)} ms   ${mbPerS.toFixed(1).padStart(7)} MB/s`);
  return mbPerS;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function collectGarbage(): void {
  gc();
  gc();
}

/**
 * Peak heapUsed growth during one readSse, sampled every 1000 events. With keepEvents:false
 * this includes not-yet-collected young-generation garbage, so compare it across stream
 * sizes (argv[2]): flat means nothing is retained per event.
 */
async function peakHeapDelta(chunks: Uint8Array[], keepEvents: boolean): Promise<number> {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  await readSse(replay(chunks), {
    ...limits,
    keepEvents,
    onEvent: (event) => {
      if (event.index % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    },
  });
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return peak - before;
}

const text = buildStreamText();
const bytes = new TextEncoder().encode(text);
const chunks = splitRandomly(bytes);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
console.log(`stream: ${mb(bytes.length)}, ${chunks.length} chunks, node ${process.version}, best of ${rounds}`);

const events = await sseRead(chunks, false);
console.log(`events: ${events}`);
const plain = await bestOf('plain read (sum + decode)', bytes.length, () => plainRead(chunks));
const lean = await bestOf('readSse keepEvents:false', bytes.length, () => sseRead(chunks, false));
const full = await bestOf('readSse keepEvents:true', bytes.length, () => sseRead(chunks, true));
console.log(`ratio readSse/plain: keepEvents:false ${(lean / plain).toFixed(2)}x, keepEvents:true ${(full / plain).toFixed(2)}x`);
console.log(`peak heap delta: keepEvents:false ${mb(await peakHeapDelta(chunks, false))}, keepEvents:true ${mb(await peakHeapDelta(chunks, true))}`);
