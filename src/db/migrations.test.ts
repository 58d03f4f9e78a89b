import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILES } from '../../drizzle.config.ts';
import { MIGRATIONS_DIR } from './migrate.ts';

describe('migrations', () => {
  it('match the schema: drizzle-kit generates nothing new (no drift)', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'pm-drift-'));
    const out = path.join(work, 'migrations');
    cpSync(MIGRATIONS_DIR, out, { recursive: true });
    const root = path.resolve(MIGRATIONS_DIR, '..');
    const config = path.join(work, 'drizzle.config.mjs');
    writeFileSync(config, `export default { dialect: 'postgresql', schema: ${JSON.stringify(SCHEMA_FILES.map((f) => path.join(root, f)))}, out: ${JSON.stringify(out)} };\n`);
    execFileSync(path.join(root, 'node_modules/.bin/drizzle-kit'), ['generate', '--config', config, '--name', 'drift'], { cwd: root, stdio: 'pipe' });
    const added = readdirSync(out).filter((f) => f.endsWith('.sql') && !readdirSync(MIGRATIONS_DIR).includes(f));
    expect(added, 'schema changed without a migration: run npm run db:generate').toEqual([]);
  });
});
