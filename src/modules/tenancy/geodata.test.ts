import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWardFiles } from './geodata.ts';

const seed = (f: string) => readFileSync(path.join(import.meta.dirname, 'seed/corby', f), 'utf8');

describe('ward files', () => {
  it('reads the 12 Corby wards with their ONS facts', () => {
    const wards = readWardFiles(seed('corby_wards_2015_2021.geojson'), seed('derived_ward2015_2021_summary.csv'));
    expect(wards).toHaveLength(12);
    const total = wards.reduce((s, w) => s + (w.childrenUnder5 ?? 0), 0);
    expect(total).toBe(5014); // SOURCES.md: Corby has 5,014 children aged 0–4 (ONS mid-2020)
    const central = wards.find((w) => w.name === 'Central');
    expect(central).toMatchObject({ code: 'E05010265', population: 4334, childrenUnder5: 294, facts: { min_IMD2019_decile: 1 } });
  });
  it('reads the 2025 wards without facts', () => {
    const wards = readWardFiles(seed('nn_wards_2025_covering_corby.geojson'), undefined);
    expect(wards.map((w) => w.name)).toContain('Corby West');
    expect(wards).toHaveLength(7);
  });
  it('reads the 2025 wards with the facts derived by LSOA best fit (scripts/corby-ward-fit.ts)', () => {
    const wards = readWardFiles(seed('nn_wards_2025_covering_corby.geojson'), seed('derived_ward2025_summary.csv'));
    expect(wards.reduce((s, w) => s + (w.population ?? 0), 0)).toBe(73053);
    expect(wards.reduce((s, w) => s + (w.childrenUnder5 ?? 0), 0)).toBe(5014);
    expect(wards.find((w) => w.name === 'Kingswood')).toMatchObject({ code: 'E05016220', population: 16029, childrenUnder5: 1128, facts: { min_IMD2019_decile: 1, pct_area_in_former_corby_borough: 100 } });
  });
  it('refuses bad input with a message saying what to fix', () => {
    expect(() => readWardFiles('{', undefined)).toThrow(/not valid JSON/);
    expect(() => readWardFiles('{"type":"Feature"}', undefined)).toThrow(/FeatureCollection/);
    const noGeom = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'A', name: 'A' }, geometry: { type: 'Point', coordinates: [0, 0] } }] });
    expect(() => readWardFiles(noGeom, undefined)).toThrow(/feature 1 \(A\) needs a Polygon or MultiPolygon/);
    const ok = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'A', name: 'A' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } }] });
    expect(() => readWardFiles(ok, 'code,population\nA,lots\n')).toThrow(/line 2: population must be a whole number/);
  });
});
