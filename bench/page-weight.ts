// Bytes transferred (gzip) for the home page with its CSS and JS, and for the wards page with the
// map script, styles and GeoJSON. Baseline: the same HTML uncompressed.
import { get } from 'node:http';
import { freshDataDir, startApp } from './lib.ts';

/** Bytes on the wire, as a browser asking for gzip receives them. */
function wireBytes(url: string, encoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      let n = 0;
      res.on('data', (chunk: Buffer) => (n += chunk.length));
      res.on('end', () => resolve(n));
    }).on('error', reject);
  });
}

async function transferred(url: string): Promise<{ url: string; compressed: number; raw: number }> {
  return { url: new URL(url).pathname, compressed: await wireBytes(url, 'gzip'), raw: await wireBytes(url, 'identity') };
}

function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
}

const app = await startApp({ DATA_DIR: freshDataDir() }, 0);
try {
  const pages: Record<string, unknown> = {};
  for (const path of ['/', '/wards']) {
    const html = await (await fetch(`${app.url}${path}`)).text();
    const parts = [await transferred(`${app.url}${path}`)];
    for (const a of assetsOf(html)) parts.push(await transferred(`${app.url}${a}`));
    if (path === '/wards') parts.push(await transferred(`${app.url}/api/v1/ward-sets/nn-2025/geojson`));
    const total = parts.reduce((s, p) => s + p.compressed, 0);
    pages[path] = { parts, totalCompressedBytes: total, totalRawBytes: parts.reduce((s, p) => s + p.raw, 0) };
  }
  const home = pages['/'] as { totalCompressedBytes: number };
  console.log(JSON.stringify({ benchmark: 'page-weight', pages, target: { homeCompressedBytes: 50_000 }, meetsTarget: home.totalCompressedBytes <= 50_000 }, null, 2));
} finally {
  await app.stop();
}
