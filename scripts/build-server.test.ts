import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { build, builtEntry, ensureBuilt, ROOT, sourceKey } from './build-server.mjs';

interface Meta {
  outputs: Record<string, { entryPoint?: string; imports: { path: string; kind: string; external?: boolean }[] }>;
}

/** A throw-away checkout: src/server/cli.ts plus whatever files are given. */
function scratchTree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'pm-build-'));
  const all = { 'src/server/cli.ts': "export { answer } from './answer.ts';\nexport const where = () => import('./where.ts');\n", ...files };
  for (const [rel, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** Every module the chunk loads before running (static imports, followed through our own chunks). */
function staticClosure(meta: Meta, output: string, seen = new Set<string>()): string[] {
  const external: string[] = [];
  for (const imp of meta.outputs[output]?.imports ?? []) {
    if (imp.kind !== 'import-statement') continue;
    if (imp.external) external.push(imp.path);
    else if (!seen.has(imp.path)) {
      seen.add(imp.path);
      external.push(...staticClosure(meta, imp.path, seen));
    }
  }
  return external;
}

describe('compiled server and CLI (scripts/build-server.mjs)', () => {
  it('builds once, reuses the build while the sources are unchanged, and rebuilds when one changes', { timeout: 120_000 }, async () => {
    const root = scratchTree({ 'src/server/answer.ts': 'export const answer = 41;\n', 'src/server/where.ts': 'export const url = import.meta.url;\n' });
    expect(builtEntry({ root })).toBeUndefined();
    const first = await ensureBuilt({ root });
    expect(first).toBe(path.join(root, 'dist', sourceKey({ root }), 'cli.js'));
    expect(builtEntry({ root })).toBe(first);
    expect(await ensureBuilt({ root })).toBe(first);
    expect(((await import(pathToFileURL(first).href)) as { answer: number }).answer).toBe(41);

    const answer = path.join(root, 'src/server/answer.ts');
    writeFileSync(answer, 'export const answer = 42;\n');
    const later = new Date(Date.now() + 5_000);
    utimesSync(answer, later, later);
    expect(builtEntry({ root })).toBeUndefined();
    const second = await ensureBuilt({ root });
    expect(second).not.toBe(first);
    expect(((await import(pathToFileURL(second).href)) as { answer: number }).answer).toBe(42);
  });

  it('keeps import.meta pointing at each original source file, so files read next to the sources are found', { timeout: 120_000 }, async () => {
    const root = scratchTree({
      'src/server/answer.ts': 'export const answer = 1;\n',
      'src/server/where.ts': 'export const url = import.meta.url;\nexport const dir = import.meta.dirname;\nexport const file = import.meta.filename;\n',
    });
    const entry = await ensureBuilt({ root });
    const mod = (await import(pathToFileURL(entry).href)) as { where(): Promise<{ url: string; dir: string; file: string }> };
    const where = await mod.where();
    const source = path.join(root, 'src/server/where.ts');
    expect(fileURLToPath(where.url)).toBe(source);
    expect(where.file).toBe(source);
    expect(where.dir).toBe(path.dirname(source));
  });

  it('two builds at once both end with one complete build', { timeout: 120_000 }, async () => {
    const root = scratchTree({ 'src/server/answer.ts': 'export const answer = 7;\n', 'src/server/where.ts': 'export const url = "";\n' });
    const [a, b] = await Promise.all([build({ root }), build({ root })]);
    expect(a).toBe(b);
    expect(readdirSync(path.join(root, 'dist'))).toEqual([sourceKey({ root })]);
    expect(((await import(pathToFileURL(a).href)) as { answer: number }).answer).toBe(7);
  });

  describe('the real build', () => {
    const built = () => ensureBuilt().then((entry) => ({ dir: path.dirname(entry), meta: JSON.parse(readFileSync(path.join(path.dirname(entry), 'meta.json'), 'utf8')) as Meta }));
    const outputFor = (meta: Meta, entryPoint: string) => {
      const found = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === entryPoint)?.[0];
      expect(found, `no output for ${entryPoint}`).toBeDefined();
      return found as string;
    };

    it('--help and pb load no package: the CLI entry and the pb command import only Node built-ins before running', { timeout: 120_000 }, async () => {
      const { meta } = await built();
      for (const entryPoint of ['src/server/cli.ts', 'src/modules/voting/cli.ts']) {
        const loaded = staticClosure(meta, outputFor(meta, entryPoint));
        expect(loaded.filter((p) => !p.startsWith('node:')), entryPoint).toEqual([]);
      }
      // The app itself is there, behind the start command's dynamic import.
      expect(staticClosure(meta, outputFor(meta, 'src/server/start.ts'))).toEqual(expect.arrayContaining(['hono', '@electric-sql/pglite']));
    });

    it('every file location rewritten in the bundle names an existing source (migrations, seed data, assets)', { timeout: 120_000 }, async () => {
      const { dir } = await built();
      const rewritten: string[] = [];
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.js'))) {
        for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)) {
          rewritten.push(path.relative(ROOT, fileURLToPath(new URL(m[1] as string, pathToFileURL(path.join(dir, f))))));
        }
      }
      expect(rewritten.sort()).toEqual(expect.arrayContaining(['src/db/migrate.ts', 'src/modules/tenancy/seed.ts', 'src/ui/assets.ts']));
      for (const rel of rewritten) expect(readFileSync(path.join(ROOT, rel), 'utf8')).toContain('import.meta.url');
    });
  });
});
