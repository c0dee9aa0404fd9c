/**
 * Tiny PNG images generated in Node (zlib only), for demo product pictures: a solid background with a darker
 * horizontal band, so products of one category share a colour but their images are not identical files.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** `#rrggbb` → [r, g, b]. */
export const hexToRgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** Mixes a colour towards black (amount < 0) or white (amount > 0), amount in [-1, 1]. */
export const shade = (rgb, amount) => rgb.map((v) => Math.round(amount < 0 ? v * (1 + amount) : v + (255 - v) * amount));

/**
 * An RGB PNG of `width`×`height` filled with `color`, with rows [bandStart, bandEnd) in `bandColor`.
 * Returns a Uint8Array that owns its whole ArrayBuffer (a few hundred bytes for 64×64): small Buffers are
 * views into Node's shared pool, which the platform proxy cannot serialize.
 */
export function makePng({ width = 64, height = 64, color, bandColor = color, bandStart = 0, bandEnd = 0 }) {
  const row = (rgb) => Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const plain = row(color);
  const band = row(bandColor);
  const raw = Buffer.concat(Array.from({ length: height }, (_, y) => (y >= bandStart && y < bandEnd ? band : plain)));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour RGB
  return new Uint8Array(Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
}
