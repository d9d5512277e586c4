/**
 * A minimal PNG encoder (8-bit RGB, no interlace) on node:zlib, for the images the emulator "generates".
 * Layout: signature, IHDR, one IDAT (zlib stream of filter-0 scanlines), IEND; every chunk CRC-32 protected.
 */
import { deflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// The judge computes its own CRC-32 (src/checks/images.ts) on purpose: a table shared by both could not catch a wrong one.
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309 / ITU-T V.42, the polynomial PNG uses) over the given buffers in turn. */
export function crc32(...parts: Buffer[]): number {
  let c = 0xffffffff;
  for (const part of parts) for (const byte of part) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ChunkOptions {
  /** Writes a CRC that does not match the chunk (fault injection). */
  corruptCrc?: boolean;
}

export function pngChunk(type: string, data: Buffer, opts: ChunkOptions = {}): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((crc32(head.subarray(4), data) ^ (opts.corruptCrc ? 0xffffffff : 0)) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export interface PngOptions {
  /** Corrupts the IHDR CRC, leaving everything else intact (fault injection). */
  corruptHeaderCrc?: boolean;
}

/**
 * Encodes an RGB image given row by row: `row(y)` returns `width * 3` bytes. Rows may be shared
 * buffers (the same one for many y), which is how flat-coloured images stay cheap.
 */
export function encodePng(width: number, height: number, row: (y: number) => Buffer, opts: PngOptions = {}): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`bad PNG size ${width}x${height}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour (RGB)
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method 0
  header[12] = 0; // no interlace
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const pixels = row(y);
    if (pixels.length !== width * 3) throw new RangeError(`row ${y} has ${pixels.length} bytes, expected ${width * 3}`);
    raw[y * stride] = 0; // filter type None
    pixels.copy(raw, y * stride + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header, { corruptCrc: opts.corruptHeaderCrc }),
    pngChunk('IDAT', deflateSync(raw, { level: 6 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
