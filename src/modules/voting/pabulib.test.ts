import { describe, it, expect } from 'vitest';
import { readdirSync } from 'node:fs';
import { PbParseError, parsePb, writePb } from './pabulib.ts';
import { officialSelection } from './instance.ts';
import { PABULIB_DIR, hasPabulib, loadPb } from './test-data.ts';

const SAMPLE = [
  'META',
  'key;value',
  'description;Test',
  'num_projects;3',
  'num_votes;3',
  'budget;100.5',
  'vote_type;cumulative',
  'max_sum_points;5',
  'PROJECTS',
  'project_id;cost;votes;name;category;selected',
  '1;50;2;"Play ""safe"" park; north";play,roads;1',
  '2;40,5;1;Library;none;0',
  '3;10;1;Crossing;roads;1',
  'VOTES',
  'voter_id;vote;points;age',
  'a;1,3;3,2;34',
  'b;1;5;none',
  'c;2,3;4,1;',
].join('\r\n');

function expectError(text: string, code: string, line: number): void {
  try {
    parsePb(text);
  } catch (e) {
    expect(e).toBeInstanceOf(PbParseError);
    expect((e as PbParseError).code).toBe(code);
    expect((e as PbParseError).line).toBe(line);
    return;
  }
  throw new Error(`expected ${code} at line ${line}`);
}

describe('parsePb', () => {
  it('reads META, PROJECTS and VOTES with quotes, CRLF, decimal commas and "none"', () => {
    const inst = parsePb(SAMPLE);
    expect(inst.budget.toString()).toBe('201/2');
    expect(inst.voteType).toBe('cumulative');
    expect(inst.projects.map((p) => p.id)).toEqual(['1', '2', '3']);
    expect(inst.projects[0]?.name).toBe('Play "safe" park; north');
    expect(inst.projects[0]?.categories).toEqual(['play', 'roads']);
    expect(inst.projects[1]?.cost.toString()).toBe('81/2');
    expect(inst.projects[1]?.categories).toEqual([]);
    expect(inst.ballots[0]?.points?.map(String)).toEqual(['3', '2']);
    expect(inst.limits.maxSumPoints?.toString()).toBe('5');
    expect(officialSelection(inst)).toEqual(['1', '3']);
  });

  it('writes back what it read', () => {
    const inst = parsePb(SAMPLE);
    const again = parsePb(writePb(inst));
    expect(again).toEqual(inst);
  });

  it('sums points when a cumulative ballot repeats a project, and warns', () => {
    const text = SAMPLE.replace('a;1,3;3,2;34', 'a;1,1;3,2;34');
    const inst = parsePb(text);
    expect(inst.ballots[0]?.projects).toEqual([0]);
    expect(inst.ballots[0]?.points?.map(String)).toEqual(['5']);
    expect(inst.warnings).toHaveLength(1);
    expect(inst.warnings[0]?.line).toBe(16);
  });

  it('refuses malformed files with the line and the problem', () => {
    expectError(SAMPLE.replace('a;1,3;3,2;34', 'a;1,9;3,2;34'), 'unknown-project', 16);
    expectError(SAMPLE.replace('a;1,3;3,2;34', 'a;1,3;3;34'), 'points-mismatch', 16);
    expectError(SAMPLE.replace('3;10;1;Crossing', '3;ten;1;Crossing'), 'bad-number', 13);
    expectError(SAMPLE.replace('3;10;1;Crossing', '2;10;1;Crossing'), 'duplicate-project', 13);
    expectError(SAMPLE.replace('3;10;1;Crossing', '3;-10;1;Crossing'), 'negative-cost', 13);
    expectError(SAMPLE.replace('3;10;1;Crossing;roads;1', '3;10;1;Crossing;roads;1;extra'), 'wrong-field-count', 13);
    expectError(SAMPLE.replace('b;1;5;none', 'a;1;5;none'), 'duplicate-voter', 17);
    expectError(SAMPLE.replace('project_id;cost', 'project_id;price'), 'missing-column', 10);
    expectError(SAMPLE.replace('"Play ""safe"" park; north"', '"Play park'), 'unterminated-quote', 11);
    expectError(SAMPLE.replace('vote_type;cumulative', 'vote_type;borda'), 'unknown-vote-type', 15);
    expectError(SAMPLE.replace('budget;100.5', 'budget;lots'), 'bad-number', 6);
    expectError(SAMPLE.replace('VOTES', 'VOTERS'), 'wrong-field-count', 14);
    expectError(SAMPLE.replace('META\r\n', ''), 'row-outside-section', 1);
    expectError(SAMPLE.split('\r\n').slice(0, 13).join('\n'), 'missing-section', 0);
  });
});

describe.skipIf(!hasPabulib)(`parsePb on real Pabulib files${hasPabulib ? '' : ` (skipped: ${PABULIB_DIR} not found)`}`, () => {
  it('reads every shipped variation that is small enough to read quickly, and round-trips it', () => {
    const files = readdirSync(PABULIB_DIR).filter((f) => f.endsWith('.pb'));
    expect(files.length).toBeGreaterThan(250);
    // Every distinct header layout is covered by taking one small file per layout.
    const picked = ['Poland_Czestochowa_2020_Grabowka.pb', 'France_Toulouse_2019.pb', 'Worldwide_Mechanical_Turk_Ranking_value_3.pb', 'Switzerland_Zurich_D10.pb', 'Netherlands_Assen_2024.pb'];
    for (const f of picked) {
      const inst = loadPb(f);
      expect(inst.projects.length).toBeGreaterThan(0);
      const meta = Object.fromEntries(inst.meta);
      expect(String(inst.ballots.length)).toBe(meta['num_votes']);
      expect(String(inst.projects.length)).toBe(meta['num_projects']);
      expect(parsePb(writePb(inst))).toEqual(inst);
    }
  });
});
