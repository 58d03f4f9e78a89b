/**
 * Exact rational numbers on BigInt. Always normalised: the denominator is positive and
 * coprime with the numerator, so equal values have equal representations.
 * No floating point is ever used to decide anything; `toNumber` is for display only.
 */

/** Greatest common divisor of two BigInts (non-negative; gcd(0, 0) = 0). */
export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

export class RationalError extends Error {
  readonly code: 'division-by-zero' | 'not-a-number';
  constructor(code: 'division-by-zero' | 'not-a-number', message: string) {
    super(message);
    this.name = 'RationalError';
    this.code = code;
  }
}

export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  /** Builds num/den, normalising sign and common factors. */
  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    let n = typeof num === 'number' ? toBigInt(num) : num;
    let d = typeof den === 'number' ? toBigInt(den) : den;
    if (d === 0n) throw new RationalError('division-by-zero', 'denominator is zero');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    if (d === 1n) return new Rational(n, 1n);
    const g = gcd(n, d);
    return g === 1n ? new Rational(n, d) : new Rational(n / g, d / g);
  }

  /** Trusted constructor for values already normalised (hot paths). */
  static unsafeNormalised(num: bigint, den: bigint): Rational {
    return new Rational(num, den);
  }

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  /**
   * Parses "12", "-3", "12.50", "1,5" (decimal comma), "3/4" and "1e3" exactly.
   * Throws RationalError('not-a-number') otherwise.
   */
  static parse(text: string): Rational {
    const s = text.trim();
    const frac = /^([+-]?\d+)\s*\/\s*(\d+)$/.exec(s);
    if (frac) return Rational.of(BigInt(frac[1] as string), BigInt(frac[2] as string));
    const dec = /^([+-]?)(\d*)(?:[.,](\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
    if (!dec || ((dec[2] ?? '') === '' && (dec[3] ?? '') === '')) {
      throw new RationalError('not-a-number', `not a number: "${text}"`);
    }
    const sign = dec[1] === '-' ? -1n : 1n;
    const intPart = dec[2] ?? '';
    const fracPart = dec[3] ?? '';
    const exp = dec[4] === undefined ? 0 : Number(dec[4]);
    let num = BigInt((intPart || '0') + fracPart) * sign;
    let den = 10n ** BigInt(fracPart.length);
    if (exp > 0) num *= 10n ** BigInt(exp);
    if (exp < 0) den *= 10n ** BigInt(-exp);
    return Rational.of(num, den);
  }

  add(o: Rational): Rational {
    if (this.den === 1n && o.den === 1n) return new Rational(this.num + o.num, 1n);
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  sub(o: Rational): Rational {
    if (this.den === 1n && o.den === 1n) return new Rational(this.num - o.num, 1n);
    return Rational.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  mul(o: Rational): Rational {
    if (this.den === 1n && o.den === 1n) return new Rational(this.num * o.num, 1n);
    return Rational.of(this.num * o.num, this.den * o.den);
  }

  div(o: Rational): Rational {
    if (o.num === 0n) throw new RationalError('division-by-zero', 'division by zero');
    return Rational.of(this.num * o.den, this.den * o.num);
  }

  mulInt(k: bigint): Rational {
    return Rational.of(this.num * k, this.den);
  }

  divInt(k: bigint): Rational {
    return Rational.of(this.num, this.den * k);
  }

  neg(): Rational {
    return new Rational(-this.num, this.den);
  }

  abs(): Rational {
    return this.num < 0n ? this.neg() : this;
  }

  /** -1, 0 or 1. */
  cmp(o: Rational): -1 | 0 | 1 {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  eq(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }
  lt(o: Rational): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Rational): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Rational): boolean {
    return this.cmp(o) > 0;
  }
  ge(o: Rational): boolean {
    return this.cmp(o) >= 0;
  }

  isZero(): boolean {
    return this.num === 0n;
  }
  isInteger(): boolean {
    return this.den === 1n;
  }
  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  /** Largest integer ≤ this. */
  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  /** Smallest integer ≥ this. */
  ceil(): bigint {
    const q = this.num / this.den;
    return this.num > 0n && q * this.den !== this.num ? q + 1n : q;
  }

  static min(a: Rational, b: Rational): Rational {
    return a.le(b) ? a : b;
  }
  static max(a: Rational, b: Rational): Rational {
    return a.ge(b) ? a : b;
  }
  static sum(values: Iterable<Rational>): Rational {
    let acc = Rational.ZERO;
    for (const v of values) acc = acc.add(v);
    return acc;
  }

  /** Exact form: "7", "-3/4". */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  /** Decimal form rounded half away from zero to `digits` places (display only). */
  toDecimal(digits = 2): string {
    const scale = 10n ** BigInt(digits);
    const neg = this.num < 0n;
    const n = neg ? -this.num : this.num;
    let q = (n * scale) / this.den;
    const r = (n * scale) % this.den;
    if (r * 2n >= this.den) q += 1n;
    const s = q.toString().padStart(digits + 1, '0');
    const body = digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
    return neg && q !== 0n ? `-${body}` : body;
  }

  /** Approximate value for display and charts only — never for decisions. */
  toNumber(): number {
    return Number(this.num) / Number(this.den);
  }

  toJSON(): string {
    return this.toString();
  }
}

function toBigInt(n: number): bigint {
  if (!Number.isSafeInteger(n)) {
    throw new RationalError('not-a-number', `not a safe integer: ${n}`);
  }
  return BigInt(n);
}

/** Shorthand for Rational.of. */
export function rat(num: bigint | number, den: bigint | number = 1n): Rational {
  return Rational.of(num, den);
}
