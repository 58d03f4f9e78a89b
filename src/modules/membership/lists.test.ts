import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 8 item 5: locales, relationships, staff roles and the privacy-notice version are each
// defined once and imported everywhere, tests included. A literal copy drifts when a value is added.
const ROOT = join(import.meta.dirname, '..', '..', '..');
const COPIES: Array<{ list: string; pattern: RegExp; home: string }> = [
  { list: 'LOCALES', pattern: /\[\s*['"]en['"]\s*,\s*['"]pl['"]\s*\]|['"]en['"]\s*\|\s*['"]pl['"]/, home: 'src/ui/i18n/locales.ts' },
  { list: 'RELATIONSHIPS', pattern: /['"]parent['"]\s*,\s*['"]grandparent['"]\s*,\s*['"]carer['"]\s*,\s*['"]other['"]/, home: 'src/modules/membership/schema.ts' },
  { list: 'STAFF_ROLES', pattern: /['"]coordinator['"]\s*,\s*['"]board['"]\s*,\s*['"]safeguarding_lead['"]\s*,\s*['"]admin['"]/, home: 'src/modules/membership/policy.ts' },
  // The version as a consent value (a month such as '2026-11' elsewhere is just a month).
  { list: 'PRIVACY_NOTICE_VERSION', pattern: /(consent\w*|[Vv]ersion|VERSION)['"]?\s*[:=]\s*['"]2026-11['"]/, home: 'src/modules/membership/service.ts' },
];

function sources(): string[] {
  return ['src', 'e2e'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f) && !f.includes('node_modules'))
      .map((f) => `${dir}/${f}`),
  );
}

describe('shared lists', () => {
  it('are defined once: no literal copy of a locale, relationship, staff-role or notice-version list', () => {
    const found: string[] = [];
    for (const file of sources()) {
      if (file === 'src/modules/membership/lists.test.ts') continue;
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const { list, pattern, home } of COPIES) {
        if (file === home) {
          expect(text.match(new RegExp(pattern, 'g')) ?? [], `${list} defined in ${home}`).toHaveLength(1);
          continue;
        }
        if (pattern.test(text)) found.push(`${file}: literal ${list} (import it from ${home})`);
      }
    }
    expect(found).toEqual([]);
  });
});
