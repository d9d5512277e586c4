/** The emulator's audio model: file probing, determinism, the transcript's timeline and the response formats. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { probeAudio, timestamp, toSrt, toVtt, transcribe } from '../../emulator/audio.ts';
import { FaultSet } from '../../emulator/faults.ts';
import { parseSrt, parseVtt } from '../../src/checks/audio.ts';

const fixture = (name: string) => readFileSync(new URL(`../../cases/fixtures/audio/${name}`, import.meta.url));

describe('probeAudio', () => {
  it('reads the WAV fixtures\' durations from their headers', () => {
    expect(probeAudio(fixture('hello.wav'))).toEqual({ container: 'wav', durationSeconds: 1.26 });
    expect(probeAudio(fixture('tone.wav'))).toEqual({ container: 'wav', durationSeconds: 0.5 });
  });

  it('keeps the fixtures small (< 50 KB each)', () => {
    for (const name of ['hello.wav', 'tone.wav', 'not-audio.txt']) expect(fixture(name).length).toBeLessThan(50 * 1024);
  });

  it('recognises compressed containers by their magic bytes', () => {
    const pad = (head: number[]) => Buffer.concat([Buffer.from(head), Buffer.alloc(16_000)]);
    expect(probeAudio(pad([0x49, 0x44, 0x33]))).toMatchObject({ container: 'mp3' });
    expect(probeAudio(pad([0xff, 0xfb]))).toMatchObject({ container: 'mp3' });
    expect(probeAudio(Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(100)]))).toMatchObject({ container: 'flac' });
    expect(probeAudio(Buffer.concat([Buffer.from('OggS'), Buffer.alloc(100)]))).toMatchObject({ container: 'ogg' });
    expect(probeAudio(Buffer.concat([Buffer.alloc(4), Buffer.from('ftypM4A '), Buffer.alloc(100)]))).toMatchObject({ container: 'mp4' });
    expect(probeAudio(pad([0x1a, 0x45, 0xdf, 0xa3]))).toMatchObject({ container: 'webm' });
  });

  it('rejects text, an empty file and a WAV without data', () => {
    expect(probeAudio(fixture('not-audio.txt'))).toHaveProperty('problem');
    expect(probeAudio(Buffer.alloc(0))).toHaveProperty('problem');
    expect(probeAudio(fixture('hello.wav').subarray(0, 36))).toHaveProperty('problem');
  });

  it('clamps a data size past the end of the file (streamed WAV headers)', () => {
    const wav = Buffer.from(fixture('tone.wav'));
    wav.writeUInt32LE(0xffffffff, 40);
    expect(probeAudio(wav)).toEqual({ container: 'wav', durationSeconds: 0.5 });
  });
});

describe('transcribe', () => {
  it('is deterministic', () => {
    expect(transcribe('transcribe', 1.26, 'en', 0.3)).toEqual(transcribe('transcribe', 1.26, 'en', 0.3));
  });

  it('tiles [0, duration] with at least two ordered segments whose texts make the transcript', () => {
    for (const duration of [0, 0.5, 1.26, 7.3, 95]) {
      const t = transcribe('transcribe', duration, undefined, 0);
      expect(t.segments.length).toBeGreaterThanOrEqual(2);
      expect(t.segments.map((s) => s.id)).toEqual(t.segments.map((_, i) => i));
      expect(t.segments[0].start).toBe(0);
      expect(t.segments.at(-1)!.end).toBeLessThanOrEqual(duration);
      t.segments.forEach((s, i) => {
        expect(s.start).toBeLessThanOrEqual(s.end);
        if (i > 0) expect(s.start).toBe(t.segments[i - 1].end);
      });
      expect(t.segments.map((s) => s.text).join('').trim()).toBe(t.text);
    }
  });

  it('writes in the requested language for transcriptions, and always in English for translations', () => {
    expect(transcribe('transcribe', 1, 'es', 0)).toMatchObject({ task: 'transcribe', language: 'spanish', text: expect.stringMatching(/segundos/) });
    expect(transcribe('translate', 1, undefined, 0)).toMatchObject({ task: 'translate', language: 'english', text: expect.stringMatching(/English translation/) });
  });

  it('echoes temperature in each segment', () => {
    expect(transcribe('transcribe', 1, undefined, 0.7).segments.every((s) => s.temperature === 0.7)).toBe(true);
  });
});

describe('the text formats', () => {
  const t = transcribe('transcribe', 3725.5, undefined, 0);
  const none = new FaultSet();

  it('timestamps use hours, minutes, seconds and milliseconds', () => {
    expect(timestamp(3725.5, ',')).toBe('01:02:05,500');
    expect(timestamp(0.42, '.')).toBe('00:00:00.420');
  });

  it('srt and vtt parse back to the segments', () => {
    const times = t.segments.map((s) => [s.start, s.end]);
    expect(parseSrt(toSrt(t, none))).toEqual({ cues: expect.any(Array), problems: [] });
    expect(parseSrt(toSrt(t, none)).cues.map((c) => [c.start, c.end])).toEqual(times);
    expect(parseVtt(toVtt(t, none)).cues.map((c) => [c.start, c.end])).toEqual(times);
  });

  it('the srt and vtt faults break exactly their grammar', () => {
    expect(parseSrt(toSrt(t, new FaultSet(['audio-srt-dot-millis']))).problems).not.toEqual([]);
    expect(parseVtt(toVtt(t, new FaultSet(['audio-vtt-no-header']))).problems).not.toEqual([]);
  });
});
