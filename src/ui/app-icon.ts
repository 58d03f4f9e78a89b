// The installable app's icon (web app manifest): a white map pin on the brand colour, drawn here as
// SVG and as 192 and 512 px PNGs (a few lines of PNG encoding on node:zlib, no image package). The
// pin sits well inside the safe zone, so the same images serve as "maskable" icons.
import { deflateSync } from 'node:zlib';

export function appIconSvg(brand: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" fill="${brand}"/><path fill="#fff" fill-rule="evenodd" d="M50 80 L31.9 50.5 A20 20 0 1 1 68.1 50.5 Z M42 42 a8 8 0 1 0 16 0 a8 8 0 1 0 -16 0 Z"/></svg>`;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** Inside the pin (unit square, y down): a circle of radius 0.2 at (0.5, 0.42) and its point, less a hole. */
function inPin(x: number, y: number): boolean {
  const dx = x - 0.5;
  const dy = y - 0.42;
  const d2 = dx * dx + dy * dy;
  if (d2 <= 0.08 * 0.08) return false;
  if (d2 <= 0.2 * 0.2) return true;
  // The point: a triangle from the circle's lower half down to (0.5, 0.8).
  if (y < 0.505 || y > 0.8) return false;
  const half = 0.17 * ((0.8 - y) / (0.8 - 0.505));
  return Math.abs(dx) <= half;
}

export function appIconPng(size: number, brand: string): Uint8Array {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(brand.slice(i, i + 2), 16)) as [number, number, number];
  const SS = 4;
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let py = 0; py < size; py += 1) {
    const row = py * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let px = 0; px < size; px += 1) {
      let inside = 0;
      for (let sy = 0; sy < SS; sy += 1) for (let sx = 0; sx < SS; sx += 1) if (inPin((px + (sx + 0.5) / SS) / size, (py + (sy + 0.5) / SS) / size)) inside += 1;
      const a = inside / (SS * SS);
      const o = row + 1 + px * 4;
      raw[o] = Math.round(r + (255 - r) * a);
      raw[o + 1] = Math.round(g + (255 - g) * a);
      raw[o + 2] = Math.round(b + (255 - b) * a);
      raw[o + 3] = 255;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]));
}
