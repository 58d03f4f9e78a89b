import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { sha256Hex } from '../lib/hash.ts';
import { appIconPng, appIconSvg } from './app-icon.ts';
import { brandColour } from './brand.ts';

export interface Asset {
  body: string | Uint8Array;
  contentType: string;
  /** Content hash, part of the public URL so assets can be cached for a year. */
  hash: string;
}

export interface Assets {
  /** Public URL of a named asset, e.g. url("app.css") → /assets/app.1a2b3c4d.css */
  url(name: AssetName): string;
  /** Look up an asset by its hashed file name. */
  get(fileName: string): Asset | undefined;
}

export type AssetName = 'app.css' | 'wards-map.js' | 'wards-map.css' | 'passkeys.js' | 'family-keys.js' | 'blueprint-edit.js' | 'budget-ballot.js' | 'report-offline.js' | 'sw.js' | 'app-icon.svg' | 'icon-192.png' | 'icon-512.png';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Bundle the browser code and styles in memory (esbuild, ~100 ms) at start. */
export async function buildAssets(): Promise<Assets> {
  const result = await build({
    entryPoints: {
      'wards-map': path.join(ROOT, 'src/client/wards-map.ts'),
      passkeys: path.join(ROOT, 'src/client/passkeys.ts'),
      // The resource audit's local family-key hasher (resources/pages-family-keys.tsx).
      'family-keys': path.join(ROOT, 'src/client/family-keys.ts'),
      'blueprint-edit': path.join(ROOT, 'src/client/blueprint-edit.ts'),
      // The budget ballot's running total (commissioning/pages-public.tsx); the server re-checks every ballot.
      'budget-ballot': path.join(ROOT, 'src/client/budget-ballot.ts'),
      // The offline report app and its service worker (served at /sw.js: intelligence/pages-offline.tsx).
      'report-offline': path.join(ROOT, 'src/client/report-offline.ts'),
      sw: path.join(ROOT, 'src/client/sw.ts'),
    },
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    write: false,
    outdir: '/assets',
    // Leaflet's marker and layer-control images are never shown: we draw polygons only.
    loader: { '.png': 'empty', '.svg': 'empty' },
    logLevel: 'silent',
    legalComments: 'none',
  });
  const css = await build({
    entryPoints: [path.join(ROOT, 'src/ui/styles.css')],
    bundle: true,
    minify: true,
    write: false,
    outdir: '/assets',
    logLevel: 'silent',
  });
  const named = new Map<AssetName, { body: string | Uint8Array; contentType: string }>();
  for (const file of [...result.outputFiles, ...css.outputFiles]) {
    const base = path.basename(file.path);
    const type = base.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    const name = (base === 'styles.css' ? 'app.css' : base) as AssetName;
    named.set(name, { body: file.text, contentType: type });
  }
  // The installable app's icons, in the brand colour of the stylesheet (web app manifest).
  const brand = brandColour(String(named.get('app.css')?.body ?? ''));
  named.set('app-icon.svg', { body: appIconSvg(brand), contentType: 'image/svg+xml' });
  named.set('icon-192.png', { body: appIconPng(192, brand), contentType: 'image/png' });
  named.set('icon-512.png', { body: appIconPng(512, brand), contentType: 'image/png' });
  const byFile = new Map<string, Asset>();
  const urls = new Map<AssetName, string>();
  for (const [name, asset] of named) {
    const hash = sha256Hex(typeof asset.body === 'string' ? asset.body : Buffer.from(asset.body)).slice(0, 10);
    const ext = path.extname(name);
    const fileName = `${name.slice(0, -ext.length)}.${hash}${ext}`;
    byFile.set(fileName, { ...asset, hash });
    urls.set(name, `/assets/${fileName}`);
  }
  const favicon = readFileSync(path.join(ROOT, 'src/ui/favicon.svg'), 'utf8');
  byFile.set('favicon.svg', { body: favicon, contentType: 'image/svg+xml', hash: sha256Hex(favicon).slice(0, 10) });
  return {
    url(name) {
      const u = urls.get(name);
      if (!u) throw new Error(`asset ${name} was not built`);
      return u;
    },
    get: (fileName) => byFile.get(fileName),
  };
}
