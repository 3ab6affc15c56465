#!/usr/bin/env node
// Draws Portcullis's icons into assets/: a tray icon per status (stopped, running, error,
// simulating) at 16 px and 32 px (@2x), in colour and as black-and-alpha macOS template
// images, plus the 512 px app icon. Pure Node (node:zlib writes the PNGs), so anyone can
// regenerate them: `node scripts/make-icons.mjs`.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');

// ---- PNG encoding (RGBA, 8 bits per channel) ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
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
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter method, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- the drawing, in unit coordinates (0..1, y down) ----

const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

// An arched gate: outer arch minus inner arch, plus the lattice of bars inside it.
function inArch(x, y, inset) {
  const left = 0.12 + inset;
  const right = 0.88 - inset;
  const bottom = 0.92 - inset * 0.3;
  const springs = 0.42;
  if (y > bottom || x < left || x > right) return false;
  return y >= springs || inCircle(x, y, 0.5, springs, 0.38 - inset);
}

function inGate(x, y) {
  const frame = inArch(x, y, 0) && !inArch(x, y, 0.1);
  const inside = inArch(x, y, 0.1);
  const bar = [0.38, 0.62].some((bx) => Math.abs(x - bx) <= 0.045) || [0.5, 0.7].some((by) => Math.abs(y - by) <= 0.045);
  return frame || (inside && bar);
}

const BADGE = { cx: 0.8, cy: 0.8, r: 0.2, clear: 0.28 };

/** Coverage (0..1) of the glyph for a status at one point. */
function shape(status, x, y) {
  const badge = status === 'error' || status === 'simulating';
  if (badge && inCircle(x, y, BADGE.cx, BADGE.cy, BADGE.clear)) {
    if (!inCircle(x, y, BADGE.cx, BADGE.cy, BADGE.r)) return 0;
    // Error: a solid dot. Simulating: a ring (a "mask" over the real identity).
    return status === 'error' || !inCircle(x, y, BADGE.cx, BADGE.cy, BADGE.r * 0.5) ? 1 : 0;
  }
  if (!inGate(x, y)) return 0;
  return status === 'stopped' ? 0.5 : 1;
}

/** Renders with 4×4 supersampling so the small sizes stay smooth. */
function render(size, paint) {
  const rgba = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const [r, g, b, a] = paint((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          acc[0] += r * a;
          acc[1] += g * a;
          acc[2] += b * a;
          acc[3] += a;
        }
      }
      const a = acc[3] / (n * n);
      const i = (py * size + px) * 4;
      if (acc[3] > 0) rgba.set([acc[0] / acc[3], acc[1] / acc[3], acc[2] / acc[3]].map(Math.round), i);
      rgba[i + 3] = Math.round(a * 255);
    }
  }
  return rgba;
}

const COLOURS = {
  stopped: [138, 143, 152],
  running: [46, 160, 67],
  error: [215, 58, 73],
  simulating: [210, 153, 34],
};

function trayIcon(status, size, template) {
  const [r, g, b] = template ? [0, 0, 0] : COLOURS[status];
  return render(size, (x, y) => [r, g, b, shape(status, x, y)]);
}

function appIcon(size) {
  const background = [31, 45, 61];
  const gate = [236, 242, 248];
  return render(size, (x, y) => {
    // A rounded square, the glyph inset within it.
    const m = 0.06;
    const k = 0.18;
    const cx = Math.min(Math.max(x, m + k), 1 - m - k);
    const cy = Math.min(Math.max(y, m + k), 1 - m - k);
    if (!inCircle(x, y, cx, cy, k)) return [0, 0, 0, 0];
    const gx = (x - 0.2) / 0.6;
    const gy = (y - 0.18) / 0.6;
    return inGate(gx, gy) ? [...gate, 1] : [...background, 1];
  });
}

function write(name, size, rgba) {
  writeFileSync(join(ASSETS, name), encodePng(size, rgba));
}

mkdirSync(ASSETS, { recursive: true });
for (const status of Object.keys(COLOURS)) {
  for (const template of [false, true]) {
    const base = `tray-${status}${template ? 'Template' : ''}`;
    write(`${base}.png`, 16, trayIcon(status, 16, template));
    write(`${base}@2x.png`, 32, trayIcon(status, 32, template));
  }
}
write('icon.png', 512, appIcon(512));
console.log(`icons written to ${ASSETS}`);
