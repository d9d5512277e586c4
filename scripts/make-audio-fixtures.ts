/**
 * Writes the audio fixtures under cases/fixtures/audio/ (committed with this script):
 *   hello.wav      "Hello world." spoken by espeak-ng, resampled to 16 kHz PCM 16-bit mono: real speech, so
 *                  a real Whisper deployment produces a non-empty transcript for it.
 *   tone.wav       0.5 s of a 440 Hz sine at 8 kHz PCM 16-bit mono, computed here: audio without speech.
 *   not-audio.txt  a text file, for the "a file that is not audio is rejected" cases.
 * Run: node bin/run-ts.js scripts/make-audio-fixtures.ts   (hello.wav needs `espeak-ng` on the PATH; without
 * it the committed hello.wav is kept). Every output is deterministic for a given espeak-ng version.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = fileURLToPath(new URL('../cases/fixtures/audio/', import.meta.url));
const SPEECH = 'Hello world.';
const SPEECH_RATE = 16_000;
const TONE_RATE = 8_000;
const TONE_SECONDS = 0.5;
const TONE_HZ = 440;

/** A canonical 44-byte-header RIFF/WAVE file of 16-bit little-endian mono PCM. */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/**
 * The samples of a 16-bit mono PCM WAV (as espeak-ng writes it; its streamed sizes may be placeholders). Its own RIFF
 * walk, not emulator/audio.ts's: the fixtures are made apart from the emulator they are fed to.
 */
function decodeWav(wav: Buffer): { samples: Int16Array; sampleRate: number } {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let offset = 12;
  let sampleRate = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (wav.readUInt16LE(body) !== 1 || wav.readUInt16LE(body + 2) !== 1 || wav.readUInt16LE(body + 14) !== 16) throw new Error('expected 16-bit mono PCM');
      sampleRate = wav.readUInt32LE(body + 4);
    } else if (id === 'data') {
      const end = Math.min(wav.length, body + size);
      const samples = new Int16Array(Math.floor((end - body) / 2));
      for (let i = 0; i < samples.length; i++) samples[i] = wav.readInt16LE(body + i * 2);
      if (!sampleRate) throw new Error('data before fmt');
      return { samples, sampleRate };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('no data chunk');
}

/** Linear-interpolation resampling: plenty for speech recognition, and exactly reproducible. */
function resample(samples: Int16Array, from: number, to: number): Int16Array {
  const out = new Int16Array(Math.floor((samples.length * to) / from));
  for (let i = 0; i < out.length; i++) {
    const x = (i * from) / to;
    const i0 = Math.floor(x);
    const i1 = Math.min(i0 + 1, samples.length - 1);
    out[i] = Math.round(samples[i0] + (samples[i1] - samples[i0]) * (x - i0));
  }
  return out;
}

function tone(): Buffer {
  const n = Math.round(TONE_RATE * TONE_SECONDS);
  const samples = new Int16Array(n);
  for (let i = 0; i < n; i++) samples[i] = Math.round(0.3 * 32767 * Math.sin((2 * Math.PI * TONE_HZ * i) / TONE_RATE));
  return encodeWav(samples, TONE_RATE);
}

function speech(): Buffer | undefined {
  let raw: Buffer;
  try {
    raw = execFileSync('espeak-ng', ['--stdout', '-v', 'en-us', '-s', '150', SPEECH]);
  } catch {
    return undefined;
  }
  const { samples, sampleRate } = decodeWav(raw);
  return encodeWav(resample(samples, sampleRate, SPEECH_RATE), SPEECH_RATE);
}

function write(name: string, bytes: Buffer | string): void {
  writeFileSync(join(OUT, name), bytes);
  console.log(`${name}: ${Buffer.byteLength(bytes)} bytes`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  write('tone.wav', tone());
  const hello = speech();
  if (hello) write('hello.wav', hello);
  else console.log('hello.wav: kept (espeak-ng is not installed)');
  write('not-audio.txt', 'This is a plain text file, not audio. An audio endpoint should reject it.\n');
}
