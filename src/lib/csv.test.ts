import { describe, expect, it } from 'vitest';
import { escapeCsvCell, parseCsv, parseCsvRecords, toCsv } from './csv.ts';

describe('csv', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"']]);
  });
  it('names the line with the wrong number of cells', () => {
    expect(() => parseCsvRecords('a,b\n1,2\n3\n')).toThrow(/line 3 has 1 cells/);
  });
  it('escapes cells a spreadsheet would run as formulas', () => {
    for (const bad of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx']) expect(escapeCsvCell(bad).replace(/^"/, '')).toMatch(/^'/);
    expect(escapeCsvCell('plain')).toBe('plain');
    expect(toCsv([['a', '=cmd|x'], [1, null]])).toBe("a,'=cmd|x\r\n1,\r\n");
  });
});
