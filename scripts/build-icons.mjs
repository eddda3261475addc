/**
 * Writes the extension's icons as small PNG files, drawn in code: a rounded square with a "handshake"
 * glyph (two offset bars). A tiny PNG encoder (RGBA, filter 0, zlib) is all it takes.
 */
import { deflateSync } from 'node:zlib';
import { Buffer } from 'node:buffer';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes RGBA pixels (`size` x `size`, 4 bytes each) as a PNG file. */
export function encodePng(size, rgba) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Draws the icon at one size: teal rounded square, two white bars meeting in the middle. */
export function drawIcon(size) {
  const px = Buffer.alloc(size * size * 4);
  const r = size * 0.2;
  const inside = (x, y) => {
    const cx = Math.min(Math.max(x, r), size - r);
    const cy = Math.min(Math.max(y, r), size - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  const bar = (x, y, x0, x1, y0, y1) => x >= x0 && x < x1 && y >= y0 && y < y1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const fx = x + 0.5;
      const fy = y + 0.5;
      if (!inside(fx, fy)) continue;
      const s = size;
      const white =
        bar(fx, fy, s * 0.18, s * 0.62, s * 0.3, s * 0.44) ||
        bar(fx, fy, s * 0.38, s * 0.82, s * 0.56, s * 0.7);
      px.set(white ? [255, 255, 255, 255] : [0, 121, 140, 255], i);
    }
  }
  return encodePng(size, px);
}

/** Writes icons/icon-<n>.png for each size into `outDir`. */
export function writeIcons(outDir, sizes = [16, 32, 48, 128]) {
  mkdirSync(join(outDir, 'icons'), { recursive: true });
  for (const size of sizes) writeFileSync(join(outDir, 'icons', `icon-${size}.png`), drawIcon(size));
}
