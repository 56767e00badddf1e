#!/usr/bin/env node
// Draws resources/icon.png (1024×1024), the source electron-builder turns into the .ico, .icns and
// Linux icon sizes. Generated from code so the icon can be re-drawn without an image editor or
// any dependency: two rails running into the distance over sleepers, on a rounded tile, with a
// rising metric line above the horizon — a train yard for experiments.
//   node resources/generate-icon.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const size = 1024;
const samples = 4; // per axis: 16 samples per pixel for smooth edges

const tile = { from: [17, 24, 39], to: [15, 118, 110] }; // slate to teal
const rail = [226, 232, 240];
const sleeper = [148, 137, 125];
const metric = [251, 191, 36];

/** Signed distance to a rounded square: the whole icon's shape. */
function insideTile(x, y) {
  const half = 0.46;
  const radius = 0.2;
  const dx = Math.max(Math.abs(x - 0.5) - (half - radius), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (half - radius), 0);
  return Math.hypot(dx, dy) <= radius;
}

function distanceToSegment(x, y, [ax, ay], [bx, by]) {
  const vx = bx - ax;
  const vy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(x - (ax + t * vx), y - (ay + t * vy));
}

/** Colour of one sample, later blended: rails converge towards a horizon at y = 0.4. */
function shade(x, y) {
  if (!insideTile(x, y)) return null;
  const horizon = 0.4;
  const bottom = 0.9;
  const depth = (y - horizon) / (bottom - horizon); // 0 at the horizon, 1 at the bottom edge
  if (depth > 0) {
    const spread = 0.012 + 0.3 * depth;
    const width = 0.002 + 0.02 * depth;
    if (Math.abs(x - (0.5 - spread)) < width || Math.abs(x - (0.5 + spread)) < width) return rail;
    // Sleepers: evenly spaced in perspective (closer together near the horizon).
    const phase = (Math.sqrt(depth) * 7) % 1;
    if (depth > 0.06 && phase < 0.3 && Math.abs(x - 0.5) < spread + 0.05 * depth + 0.01) return sleeper;
  }
  const line = [
    [0.16, 0.33],
    [0.3, 0.27],
    [0.42, 0.3],
    [0.6, 0.19],
    [0.84, 0.13],
  ];
  for (let index = 1; index < line.length; index++) {
    if (distanceToSegment(x, y, line[index - 1], line[index]) < 0.02) return metric;
  }
  const t = Math.min(1, Math.max(0, (x + y) / 2));
  return tile.from.map((channel, index) => channel + (tile.to[index] - channel) * t);
}

function render() {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const offset = (py * size + px) * 4;
      if (covered > 0) {
        rgba[offset] = Math.round(r / covered);
        rgba[offset + 1] = Math.round(g / covered);
        rgba[offset + 2] = Math.round(b / covered);
      }
      rgba[offset + 3] = Math.round((255 * covered) / (samples * samples));
    }
  }
  return rgba;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A minimal RGBA PNG: IHDR, one zlib IDAT with filter byte 0 per row, IEND. */
function encodePng(rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter, no interlace
  const rows = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const target = join(dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(target, encodePng(render()));
console.log(`wrote ${target}`);
