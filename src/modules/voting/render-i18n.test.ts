import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runPbCommand } from './cli.ts';
import { votingEn, votingPl } from './i18n.ts';
import type { Locale } from '../../ui/i18n/locales.ts';

// Issue 8 item 6: the same explanations in English and Polish. Project names are Polish so that
// any English word in the Polish output can only come from our wording.
const SMALL = `META
key;value
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
A;60;Plac zabaw
B;50;Biblioteka
C;40;Przejście
VOTES
voter_id;vote
v1;A,C
v2;A,C
v3;B
v4;A
`;
// Large sums (Polish groups thousands), a free project, a tie decided by cost, and no support.
const LARGE = `META
key;value
budget;250000
vote_type;approval
PROJECTS
project_id;cost;name
P1;150000;Żłobek
P2;125000;Ogród
P3;125500;Świetlica
P4;0;Festyn
P5;1000;Ławki
VOTES
voter_id;vote
w1;P1,P2,P4
w2;P1,P3
w3;P2,P3
w4;P1
w5;P2,P3,P4
`;

let dir = '';
const files: Record<string, string> = {};
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pb-i18n-'));
  for (const [name, text] of Object.entries({ small: SMALL, large: LARGE })) writeFileSync((files[name] = path.join(dir, `${name}.pb`)), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; text: string }> {
  const lines: string[] = [];
  const code = await runPbCommand(argv, (s) => lines.push(s));
  return { code, text: lines.join('\n') };
}

const RUNS: (file: string) => string[][] = (f) => [
  ['count', f, '--rule', 'mes', '--completion', 'none', '--voter', 'v1'],
  ['count', f, '--voter', 'w5'],
  ['count', f, '--comparison', '--completion', 'add1,utilitarian'],
  ['count', f, '--rule', 'greedy'],
  ['count', f, '--rule', 'greedy-stop'],
  ['count', f, '--rule', 'greedy-cost', '--tie-break', 'votes,score,order,id'],
  ['count', f, '--utility', 'cardinal', '--completion', 'add1-exhaustive', '--add1-start', 'integer'],
  ['compare', f],
];
const runsFor = (name: string) => RUNS(files[name] as string).filter((a) => !a.includes('--voter') || (name === 'small') === a.includes('v1'));

// Names of methods, the same in both languages.
const NAMES = new Set(['mes', 'add1', 'add1-exhaustive']);
const wordsOf = (text: string): string[] => (text.toLowerCase().match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? []).filter((w) => w.length >= 3 && !/^\d/.test(w));
const ENGLISH = new Set(Object.values(votingEn).flatMap((v) => wordsOf(v.replace(/\{\w+\}/g, ' '))).filter((w) => !NAMES.has(w)));
// "1 000 000,00" and "1000000.00" are the same figure.
const figures = (text: string, locale: Locale): string[] =>
  (locale === 'pl' ? (text.match(/\d{1,3}(?:\u00a0\d{3})+(?:,\d+)?|\d+(?:,\d+)?/g) ?? []).map((n) => n.replace(/\u00a0/g, '').replace(',', '.')) : (text.match(/\d+(?:\.\d+)?/g) ?? [])).sort();

describe('pb explanations in Polish (--lang pl)', () => {
  it('the Polish catalogue has every key of the English one and no English leftovers', () => {
    expect(Object.keys(votingPl).sort()).toEqual(Object.keys(votingEn).sort());
    const leftovers = Object.entries(votingPl).filter(([, v]) => wordsOf(v.replace(/\{\w+\}/g, ' ')).some((w) => ENGLISH.has(w)));
    expect(leftovers).toEqual([]);
    expect(ENGLISH.size).toBeGreaterThan(80);
  });

  it.each(['small', 'large'])('the %s instance: no English word of the English template in Polish, the same figures in both', async (name) => {
    for (const args of runsFor(name)) {
      const en = await run(...args);
      const pl = await run(...args, '--lang', 'pl');
      expect([en.code, pl.code], args.join(' ')).toEqual([0, 0]);
      expect(pl.text, args.join(' ')).not.toBe(en.text);
      const english = wordsOf(pl.text).filter((w) => ENGLISH.has(w));
      expect(english, args.join(' ')).toEqual([]);
      expect(figures(pl.text, 'pl'), args.join(' ')).toEqual(figures(en.text, 'en'));
      // The English reader sees English: every line of it uses our English words.
      expect(wordsOf(en.text).filter((w) => ENGLISH.has(w)).length, args.join(' ')).toBeGreaterThan(5);
    }
  });

  it('says what each supporter paid and who fell short, in Polish words and Polish numbers', async () => {
    const { code, text } = await run('count', files['small'] as string, '--rule', 'mes', '--completion', 'none', '--voter', 'v3', '--lang', 'pl');
    expect(code).toBe(0);
    expect(text.split('\n')).toEqual([
      'Budżet 100,00, głosujących: 4, projektów: 3 (rodzaj głosowania: aprobujące).',
      'Sposób liczenia: reguła: MES (metoda równych udziałów); użyteczność: koszt; uzupełnienie: brak; porównanie: wyłączone; remisy rozstrzyga: koszt, głosy, identyfikator.',
      'Udział każdej osoby głosującej: 25,00.',
      '',
      'Sfinansowane (1), łączny koszt 60,00:',
      '  1. A „Plac zabaw” koszt 60,00, głosujących za: 3',
      '     sfinansowany: osoby popierające zapłaciły za niego ze swoich równych udziałów (po 20,00 od 3 osób)',
      '',
      'Niesfinansowane (2):',
      '  B „Biblioteka” koszt 50,00, głosujących za: 1',
      '     niesfinansowany: osobom popierającym zostało mniej pieniędzy, niż wynosi jego koszt (zostało im 25,00, zabrakło 25,00)',
      '  C „Przejście” koszt 40,00, głosujących za: 2',
      '     niesfinansowany: osobom popierającym zostało mniej pieniędzy, niż wynosi jego koszt (zostało im 10,00, zabrakło 30,00)',
      '',
      'Osoba głosująca v3 wybrała: B; sfinansowane: żaden.',
      'Jej udział 25,00 poszedł na: nic; niewydane: 25,00.',
    ]);
    const large = await run('count', files['large'] as string, '--rule', 'greedy', '--lang', 'pl');
    expect(large.text).toContain('Budżet 250\u00a0000,00');
    expect(large.text).toContain('Rozstrzygnięte remisy:');
  });

  it('keeps the English output byte for byte', async () => {
    const en = await run('count', files['small'] as string, '--rule', 'mes', '--completion', 'none', '--voter', 'v3');
    expect(en.text).toBe(
      [
        'Budget 100.00, 4 voters, 3 projects (approval ballots).',
        'Counted with: rule mes; utility cost; completion none; comparison off; tie-break cost,votes,id.',
        "Each voter's share: 25.00.",
        '',
        'Funded (1), total cost 60.00:',
        '  1. A "Plac zabaw" cost 60.00, 3 supporters',
        '     funded: its supporters paid for it from their equal shares (3 paid 20.00)',
        '',
        'Not funded (2):',
        '  B "Biblioteka" cost 50.00, 1 supporters',
        "     not funded: its supporters' remaining money fell short of its cost (they had 25.00 left, 25.00 short)",
        '  C "Przejście" cost 40.00, 2 supporters',
        "     not funded: its supporters' remaining money fell short of its cost (they had 10.00 left, 30.00 short)",
        '',
        'Voter v3 chose B; funded: none.',
        'Their share 25.00 went: nowhere; 25.00 unspent.',
      ].join('\n'),
    );
    expect((await run('count', files['small'] as string, '--lang', 'en')).text).toBe((await run('count', files['small'] as string)).text);
    expect((await run('compare', files['small'] as string)).text).toBe(
      [
        '                            greedy                mes                   ',
        'projects funded             2                     2                     ',
        'total cost                  100.00                100.00                ',
        'voters with none funded     1 of 4                1 of 4                ',
        'avg choices funded          1.25                  1.25                  ',
        '',
        'greedy: A, C',
        'mes: A, C',
      ].join('\n'),
    );
  });

  it('refuses an unknown language', async () => {
    const bad = await run('count', files['small'] as string, '--lang', 'de');
    expect(bad.code).toBe(2);
    expect(bad.text).toContain('--lang must be one of en, pl');
  });
});
