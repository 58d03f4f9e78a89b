import { describe, expect, it } from 'vitest';
import { containsPoint, findContaining, roundToAbout100m, type PolygonGeometry } from './geo.ts';

const square: PolygonGeometry = { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]] };
const two: PolygonGeometry = { type: 'MultiPolygon', coordinates: [[[[20, 20], [21, 20], [21, 21], [20, 21], [20, 20]]], [[[30, 30], [31, 30], [31, 31], [30, 31], [30, 30]]]] };

describe('geo', () => {
  it('finds points inside a polygon, outside it, and in its hole', () => {
    expect(containsPoint(square, 1, 1)).toBe(true);
    expect(containsPoint(square, 11, 1)).toBe(false);
    expect(containsPoint(square, 5, 5)).toBe(false); // the hole
    expect(containsPoint(two, 30.5, 30.5)).toBe(true);
    expect(containsPoint(two, 25, 25)).toBe(false);
  });

  it('answers the first containing area, or nothing for a point outside all or not a number', () => {
    const areas = [{ code: 'a', geometry: square }, { code: 'none', geometry: null }, { code: 'b', geometry: two }];
    expect(findContaining(areas, 20.5, 20.5)?.code).toBe('b');
    expect(findContaining(areas, 50, 50)).toBeUndefined();
    expect(findContaining(areas, Number.NaN, 1)).toBeUndefined();
  });

  it('rounds to a grid of about 100 m, so nearby houses share one point', () => {
    const a = roundToAbout100m(-0.69412, 52.48963);
    expect(a).toEqual({ lon: -0.6936, lat: 52.49 });
    // Two positions 30 m apart land on the same point; the rounding never moves a point more than ~80 m.
    expect(roundToAbout100m(-0.69412, 52.48963)).toEqual(roundToAbout100m(-0.69400, 52.48980));
    const metres = (d: number) => d * 111_000;
    expect(metres(Math.abs(a.lat - 52.48963))).toBeLessThan(60);
    expect(metres(Math.abs(a.lon + 0.69412) * Math.cos((52.49 * Math.PI) / 180))).toBeLessThan(60);
  });
});
