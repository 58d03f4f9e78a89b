import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { pl } from './pl.ts';
import { localeFromAcceptLanguage, translator } from './index.ts';

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

describe('message catalogues', () => {
  it('Polish has every English key, non-empty, with the same placeholders', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(pl[key], key).toBeTruthy();
      expect(placeholders(pl[key]), key).toEqual(placeholders(en[key]));
    }
    expect(Object.keys(pl).sort()).toEqual(Object.keys(en).sort());
  });

  it('every key used in the code exists', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.tsx?$/.test(name) && !name.endsWith('.test.ts')) {
          for (const m of readFileSync(full, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1] ?? '');
        }
      }
    };
    walk(root);
    const missing = [...used].filter((k) => !(k in en));
    expect(missing).toEqual([]);
  });

  it('Polish avoids the vocative in greetings and uses gender-neutral or paired forms (issue 7, item 22)', () => {
    const entries = Object.entries(pl) as Array<[string, string]>;
    for (const [key, text] of entries) {
      // "Dzień dobry," then the name on its own line (or no name at all: mails a join or sign-in
      // request triggers greet nobody, since anyone can type the name): never "Dzień dobry {name}"
      // or a vocative "Droga/Drogi".
      expect(text, key).not.toMatch(/Dzień dobry [^,\n]|\b(Drogi|Droga|Szanowny|Szanowna)\b/);
      if (text.startsWith('Dzień dobry')) expect(text, key).toMatch(/^Dzień dobry,\n(\{name\}\n|\n)/);
      // Forms addressed to one person that are masculine only.
      expect(text, key).not.toMatch(/\b(byłeś|Wystąpiłeś|wylogowany|zostaniesz wylogowany|jesteś członkiem|Przestaniesz być członkiem)\b/i);
    }
    expect(pl['relationship.carer']).toBe('Opiekunem/Opiekunką');
    expect(pl['status.left']).toBe('Wystąpił(a)');
    for (const role of ['member', 'volunteer', 'street_champion', 'ward_rep', 'coordinator', 'board', 'viewer', 'admin'] as const) {
      expect(pl[`role.${role}`], role).toContain('/');
    }
  });

  it('fills placeholders and formats numbers per locale', () => {
    expect(translator('en')('home.wards.body', { count: 12, under5: 4914 })).toContain('4,914');
    // Polish groups thousands only from five digits (4914, but 14 914).
    expect(translator('pl')('home.wards.body', { count: 12, under5: 14914 })).toMatch(/14\s914/);
  });

  it('picks the best supported language from Accept-Language', () => {
    expect(localeFromAcceptLanguage('de-DE,pl;q=0.8,en;q=0.5')).toBe('pl');
    expect(localeFromAcceptLanguage('fr')).toBeUndefined();
  });
});
