/**
 * The emulator's PNG encoder and the image checks' readers agree with each other and with independent
 * references: node:zlib's CRC-32 and inflate, and hand-made headers of the other image formats.
 */
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderImage } from '../../emulator/images.ts';
import { crc32 as encoderCrc, encodePng } from '../../emulator/png.ts';
import { crc32 as checkerCrc, imageDimensions, imageFormat, pngProblem } from '../../src/checks/images.ts';

const zlibCrc = (zlib as { crc32?: (data: Buffer) => number }).crc32;

function chunks(png: Buffer): Array<{ type: string; data: Buffer }> {
  const out: Array<{ type: string; data: Buffer }> = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    out.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

describe('CRC-32', () => {
  it('the encoder and the checker compute the same CRC, and the standard check value', () => {
    expect(encoderCrc(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(checkerCrc(Buffer.from('123456789'))).toBe(0xcbf43926);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const buffer = Buffer.from(bytes);
        expect(encoderCrc(buffer)).toBe(checkerCrc(buffer));
        if (zlibCrc) expect(checkerCrc(buffer)).toBe(zlibCrc(buffer));
      }),
    );
  });
});

describe('encodePng', () => {
  it('writes signature, IHDR, IDAT, IEND; the IDAT inflates to filter-0 scanlines of the given rows', () => {
    const rows = [Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255]), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9])];
    const png = encodePng(3, 2, (y) => rows[y]);
    expect(imageFormat(png)).toBe('png');
    expect(pngProblem(png)).toBeUndefined();
    expect(imageDimensions(png)).toEqual({ width: 3, height: 2 });
    const parts = chunks(png);
    expect(parts.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([...parts[0].data.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
    expect(zlib.inflateSync(parts[1].data)).toEqual(Buffer.concat([Buffer.from([0]), rows[0], Buffer.from([0]), rows[1]]));
  });

  it('rejects sizes and rows that cannot make a PNG', () => {
    expect(() => encodePng(0, 1, () => Buffer.alloc(0))).toThrow(RangeError);
    expect(() => encodePng(2, 1, () => Buffer.alloc(3))).toThrow(RangeError);
  });

  it('with a corrupt header CRC, only that is wrong: pngProblem names IHDR, the size still reads', () => {
    const png = encodePng(4, 4, () => Buffer.alloc(12, 7), { corruptHeaderCrc: true });
    expect(pngProblem(png)).toMatch(/IHDR has a wrong CRC/);
    expect(imageDimensions(png)).toEqual({ width: 4, height: 4 });
  });

  it('pngProblem finds a cut-off file, bytes after IEND and a missing signature', () => {
    const png = encodePng(2, 2, () => Buffer.alloc(6, 1));
    expect(pngProblem(png.subarray(0, png.length - 6))).toMatch(/cut short|more than remain|no IEND/);
    expect(pngProblem(Buffer.concat([png, Buffer.from('junk')]))).toMatch(/follow IEND/);
    expect(pngProblem(Buffer.from('GIF89a'))).toMatch(/signature/);
  });
});

describe('renderImage', () => {
  it.each([
    ['1792x1024', 1792, 1024],
    ['1024x1792', 1024, 1792],
    ['1024x1024', 1024, 1024],
    [undefined, 1024, 1024],
  ])('size %s gives a well-formed %ix%i PNG', (size, width, height) => {
    const png = renderImage({ prompt: 'a cat', size }, 0);
    expect(pngProblem(png)).toBeUndefined();
    expect(imageDimensions(png)).toEqual({ width, height });
  });

  it('is deterministic, and prompt, style, quality and the image index each change the picture', () => {
    const base = { prompt: 'a cat', size: '1024x1024' };
    const png = renderImage(base, 0);
    expect(renderImage(base, 0).equals(png)).toBe(true);
    for (const other of [renderImage({ ...base, prompt: 'a dog' }, 0), renderImage({ ...base, style: 'natural' }, 0), renderImage({ ...base, quality: 'hd' }, 0), renderImage(base, 1)]) {
      expect(other.equals(png)).toBe(false);
    }
  });
});

describe('imageDimensions for the other formats services may send', () => {
  it('GIF: the logical screen size', () => {
    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([0x00, 0x07, 0x00, 0x04])]);
    expect(imageFormat(gif)).toBe('gif');
    expect(imageDimensions(gif)).toEqual({ width: 1792, height: 1024 });
  });

  it('JPEG: the SOF0 frame size, after an APP0 segment and fill bytes', () => {
    const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0', 'latin1'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    const sof0 = Buffer.from([0xff, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x07, 0x00, 0x04, 0x00, 0x03]);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof0, Buffer.alloc(9)]);
    expect(imageFormat(jpeg)).toBe('jpeg');
    expect(imageDimensions(jpeg)).toEqual({ width: 1024, height: 1792 });
  });

  it('WebP: VP8X, VP8L and VP8 headers', () => {
    const riff = (chunk: string, body: Buffer) => Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBP', 'latin1'), Buffer.from(chunk, 'latin1'), Buffer.alloc(4), body]);
    const vp8x = riff('VP8X', Buffer.from([0, 0, 0, 0, 0xff, 0x06, 0x00, 0xff, 0x03, 0x00]));
    expect(imageDimensions(vp8x)).toEqual({ width: 1792, height: 1024 });
    const bits = (1792 - 1) | ((1024 - 1) << 14);
    const lossless = Buffer.alloc(5);
    lossless[0] = 0x2f;
    lossless.writeUInt32LE(bits >>> 0, 1);
    expect(imageDimensions(riff('VP8L', lossless))).toEqual({ width: 1792, height: 1024 });
    const lossy = Buffer.alloc(10);
    lossy.writeUInt16LE(1024, 6);
    lossy.writeUInt16LE(1792, 8);
    expect(imageDimensions(riff('VP8 ', lossy))).toEqual({ width: 1024, height: 1792 });
  });

  it('unknown or cut-short data has no format or size', () => {
    expect(imageFormat(Buffer.from('{"not":"an image"}'))).toBeUndefined();
    expect(imageDimensions(Buffer.from('{"not":"an image"}'))).toBeUndefined();
    expect(imageDimensions(Buffer.from([0xff, 0xd8, 0xff]))).toBeUndefined();
  });
});
