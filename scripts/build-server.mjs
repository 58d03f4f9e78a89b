// Compiles the server and CLI (src/server/cli.ts and everything it imports) to JavaScript in
// dist/<key>/ with esbuild, so that `parent-mutual …` does not transpile the tree at every run.
// `npm ci` runs it through `prepare`; bin/parent-mutual.js calls ensureBuilt() at every start,
// which rebuilds when a source changed. Tests and development keep running the sources (tsx).
//
//   node scripts/build-server.mjs          build if missing or stale, print the entry file
//   node scripts/build-server.mjs --force  build even if up to date
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The checkout this script belongs to. */
export const ROOT = path.resolve(import.meta.dirname, '..');
/** Builds kept, the current one included: a running server may still import a lazy chunk of its own. */
const KEEP = 3;
const ENTRY = 'src/server/cli.ts';

/** Files whose change must give a new build: the bundled sources and what configures the build. */
function inputs(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) files.push(full);
    }
  };
  walk(path.join(root, 'src'));
  files.sort();
  for (const f of ['package.json', 'package-lock.json', 'tsconfig.json']) files.push(path.join(root, f));
  files.push(import.meta.filename);
  return files;
}

/**
 * Cache key over path, size and modification time of every input (stat only, a few ms) and the
 * Node major version the build targets. A fresh clone builds once; editing any source rebuilds.
 */
export function sourceKey({ root = ROOT } = {}) {
  const hash = createHash('sha256');
  hash.update(`node${process.versions.node.split('.')[0]}\n`);
  for (const file of inputs(root)) {
    const s = existsSync(file) ? statSync(file) : undefined;
    hash.update(`${path.relative(root, file)} ${s ? `${s.size} ${s.mtimeMs}` : 'missing'}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The compiled entry for the current sources, or undefined when it is missing or stale. */
export function builtEntry({ root = ROOT, key = sourceKey({ root }) } = {}) {
  const entry = path.join(root, 'dist', key, 'cli.js');
  return existsSync(entry) ? entry : undefined;
}

/**
 * The sources read files next to themselves (migrations/, seed/corby/, styles.css, the browser
 * code) through import.meta.url. In a bundle that would be the chunk's URL, so each source gets
 * its own original location instead, relative to the chunk so that a moved checkout still works.
 */
function originalLocation(src, outdir) {
  return {
    name: 'original-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, (args) => {
        if (!args.path.startsWith(src + path.sep)) return undefined;
        let contents = readFileSync(args.path, 'utf8');
        if (/import\.meta\.(url|dirname|filename)/.test(contents)) {
          const rel = path.relative(outdir, args.path).split(path.sep).join('/');
          // Prepended on the first line so that line numbers (and the source map) stay right.
          const prelude =
            `import { fileURLToPath as __pmFileURLToPath } from 'node:url'; import { dirname as __pmDirname } from 'node:path'; ` +
            `const __pmUrl = new URL(${JSON.stringify(rel)}, import.meta.url).href; `;
          contents =
            prelude +
            contents
              .replaceAll('import.meta.url', '__pmUrl')
              .replaceAll('import.meta.filename', '__pmFileURLToPath(__pmUrl)')
              .replaceAll('import.meta.dirname', '__pmDirname(__pmFileURLToPath(__pmUrl))');
        }
        return { contents, loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts' };
      });
    },
  };
}

/** Builds into dist/<key>/ (a temporary folder renamed into place, so never half-written) and returns the entry. */
export async function build({ root = ROOT, key = sourceKey({ root }) } = {}) {
  const { build: esbuild } = await import('esbuild');
  const dist = path.join(root, 'dist');
  const outdir = path.join(dist, key);
  const tmp = `${outdir}.tmp-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    const result = await esbuild({
      absWorkingDir: root,
      entryPoints: { cli: path.join(root, ENTRY) },
      outdir: tmp,
      bundle: true,
      splitting: true, // each command's dynamic import() becomes its own chunk: --help loads one file
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // PGlite loads its wasm and data files relative to itself: every package stays in node_modules.
      packages: 'external',
      sourcemap: 'linked',
      sourcesContent: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [originalLocation(path.join(root, 'src'), outdir)],
    });
    writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify(result.metafile));
    try {
      renameSync(tmp, outdir);
    } catch (e) {
      // Another process finished the same build first: use theirs.
      if (!['ENOTEMPTY', 'EEXIST'].includes(e.code)) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  prune(dist, key);
  return path.join(outdir, 'cli.js');
}

/** Removes all but the newest builds, and leftovers of builds interrupted over an hour ago. */
function prune(dist, current) {
  const dirs = readdirSync(dist, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== current)
    .map((d) => ({ name: d.name, mtime: statSync(path.join(dist, d.name)).mtimeMs, tmp: d.name.includes('.tmp-') }))
    .sort((a, b) => b.mtime - a.mtime);
  const old = Date.now() - 3600_000;
  let kept = 1;
  for (const d of dirs) {
    if (d.tmp ? d.mtime < old : ++kept > KEEP) rmSync(path.join(dist, d.name), { recursive: true, force: true });
  }
}

/** The compiled entry for the current sources, built first when missing or stale. */
export async function ensureBuilt({ root = ROOT } = {}) {
  const key = sourceKey({ root });
  return builtEntry({ root, key }) ?? (await build({ root, key }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const entry = process.argv.includes('--force') ? await build() : await ensureBuilt();
  console.log(`${path.relative(ROOT, entry)} (${Date.now() - started} ms)`);
}
