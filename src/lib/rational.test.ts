import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Rational, RationalError, rat } from './rational.ts';

describe('Rational', () => {
  it('normalises sign and common factors', () => {
    expect(rat(6, -4).toString()).toBe('-3/2');
    expect(rat(0, 5).toString()).toBe('0');
    expect(rat(10, 5).eq(rat(2))).toBe(true);
  });

  it('refuses a zero denominator and division by zero', () => {
    expect(() => rat(1, 0)).toThrow(RationalError);
    expect(() => rat(1).div(Rational.ZERO)).toThrow(RationalError);
  });

  it('parses integers, decimals (point or comma), fractions and exponents exactly', () => {
    expect(Rational.parse('200000.0').toString()).toBe('200000');
    expect(Rational.parse('1310641.1').toString()).toBe('13106411/10');
    expect(Rational.parse('1,5').toString()).toBe('3/2');
    expect(Rational.parse(' -3/4 ').toString()).toBe('-3/4');
    expect(Rational.parse('1e3').toString()).toBe('1000');
    expect(Rational.parse('.5').toString()).toBe('1/2');
    for (const bad of ['', 'abc', '1.2.3', '--1', '1/0x']) expect(() => Rational.parse(bad)).toThrow(RationalError);
  });

  it('does arithmetic exactly where floating point does not', () => {
    expect(rat(1, 10).add(rat(2, 10)).eq(rat(3, 10))).toBe(true);
    expect(rat(1, 3).mul(rat(3)).eq(Rational.ONE)).toBe(true);
    expect(rat(7, 2).sub(rat(1, 2)).toString()).toBe('3');
    expect(rat(2, 3).div(rat(4, 9)).toString()).toBe('3/2');
  });

  it('floors and ceils towards the right integers, also for negatives', () => {
    expect(rat(7, 2).floor()).toBe(3n);
    expect(rat(-7, 2).floor()).toBe(-4n);
    expect(rat(7, 2).ceil()).toBe(4n);
    expect(rat(-7, 2).ceil()).toBe(-3n);
    expect(rat(4).floor()).toBe(4n);
  });

  it('prints decimals rounded half away from zero', () => {
    expect(rat(2, 3).toDecimal(2)).toBe('0.67');
    expect(rat(-1, 8).toDecimal(2)).toBe('-0.13');
    expect(rat(5).toDecimal(0)).toBe('5');
    expect(rat(1, 1000).toDecimal(2)).toBe('0.00');
  });

  const small = fc.tuple(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: 1n, max: 1000n })).map(([n, d]) => rat(n, d));

  it('obeys field laws (property)', () => {
    fc.assert(
      fc.property(small, small, small, (a, b, c) => {
        expect(a.add(b).eq(b.add(a))).toBe(true);
        expect(a.mul(b.add(c)).eq(a.mul(b).add(a.mul(c)))).toBe(true);
        expect(a.sub(b).add(b).eq(a)).toBe(true);
        if (!b.isZero()) expect(a.div(b).mul(b).eq(a)).toBe(true);
        expect(a.cmp(b) === -b.cmp(a)).toBe(true); // === : an equal pair gives 0 and -0
        expect(rat(a.floor()).le(a) && rat(a.floor() + 1n).gt(a)).toBe(true);
      }),
    );
  });
});
