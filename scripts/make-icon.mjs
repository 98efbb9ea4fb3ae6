// Draws media/icon.png (128x128, the Marketplace icon): a heartbeat line on a rounded teal
// tile. PNG bytes are written by hand with zlib so no image library is needed; run it again
// after changing the drawing.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const SS = 4; // supersampling per axis, for smooth edges
const RADIUS = 26;
const LINE = [[12, 72], [38, 72], [48, 56], [58, 94], [71, 30], [82, 82], [90, 72], [116, 72]];
const HALF_WIDTH = 4.2;
const TOP = [18, 150, 160];
const BOTTOM = [9, 72, 110];

function insideTile(x, y) {
  const cx = Math.min(Math.max(x, RADIUS), SIZE - RADIUS);
  const cy = Math.min(Math.max(y, RADIUS), SIZE - RADIUS);
  return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2;
}

function distToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function onLine(x, y) {
  for (let i = 1; i < LINE.length; i++) if (distToSegment(x, y, LINE[i - 1], LINE[i]) <= HALF_WIDTH) return true;
  return false;
}

function pixel(x, y) {
  let tile = 0;
  let line = 0;
  for (let sy = 0; sy < SS; sy++) {
    for (let sx = 0; sx < SS; sx++) {
      const px = x + (sx + 0.5) / SS;
      const py = y + (sy + 0.5) / SS;
      if (!insideTile(px, py)) continue;
      tile++;
      if (onLine(px, py)) line++;
    }
  }
  const n = SS * SS;
  const t = y / (SIZE - 1);
  const bg = TOP.map((c, i) => c + (BOTTOM[i] - c) * t);
  const a = tile / n;
  if (a === 0) return [0, 0, 0, 0];
  const w = line / tile; // share of the covered area that is the white line
  const rgb = bg.map((c) => Math.round(c * (1 - w) + 255 * w));
  return [...rgb, Math.round(255 * a)];
}

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function iconPng() {
  const raw = Buffer.alloc(SIZE * (1 + SIZE * 4));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 4);
    raw[row] = 0; // filter: none
    for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, y)).copy(raw, row + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'media', 'icon.png');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, iconPng());
console.log(`wrote ${out}`);
