import { parseCsvRecords, CsvError } from '../../lib/csv.ts';
import type { WardGeometry } from './schema.ts';

/** One ward read from a GeoJSON file and (optionally) a CSV of facts, validated. */
export interface WardInput {
  code: string;
  name: string;
  geometry: WardGeometry;
  population: number | null;
  childrenUnder5: number | null;
  facts: Record<string, number | string>;
}

export interface WardFileOptions {
  /** Feature property holding the ward code; guessed (WDxxCD, code) when absent. */
  codeProperty?: string | undefined;
  /** Feature property holding the ward name; guessed (WDxxNM, name) when absent. */
  nameProperty?: string | undefined;
  /** CSV column holding the ward code; guessed (WDxxCD, code) when absent. */
  factsCodeColumn?: string | undefined;
  populationColumn?: string | undefined;
  under5Column?: string | undefined;
}

export class WardDataError extends Error {}

function guess(keys: string[], patterns: RegExp[]): string | undefined {
  for (const p of patterns) {
    const hit = keys.find((k) => p.test(k));
    if (hit) return hit;
  }
  return undefined;
}

const CODE_PATTERNS = [/^WD\d\dCD$/i, /^code$/i, /^ward_?code$/i];
const NAME_PATTERNS = [/^WD\d\dNM$/i, /^name$/i, /^ward_?name$/i];
const POPULATION_PATTERNS = [/^population$/i, /^pop_mid\d{4}_total$/i, /^pop_total$/i];
const UNDER5_PATTERNS = [/^children_under_5$/i, /^under_?5s?$/i, /^pop_mid\d{4}_age0to4$/i];

function isGeometry(value: unknown): value is WardGeometry {
  if (!value || typeof value !== 'object') return false;
  const g = value as { type?: unknown; coordinates?: unknown };
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') return false;
  const depth = g.type === 'Polygon' ? 3 : 4;
  let level: unknown = g.coordinates;
  for (let i = 0; i < depth - 1; i += 1) {
    if (!Array.isArray(level) || level.length === 0) return false;
    level = level[0];
  }
  return Array.isArray(level) && level.length >= 2 && level.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** Read wards from GeoJSON text plus an optional facts CSV; every problem names what to fix. */
export function readWardFiles(geojsonText: string, factsCsvText: string | undefined, opts: WardFileOptions = {}): WardInput[] {
  let doc: unknown;
  try {
    doc = JSON.parse(geojsonText);
  } catch (err) {
    throw new WardDataError(`the GeoJSON file is not valid JSON: ${(err as Error).message}`);
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features) || fc.features.length === 0) {
    throw new WardDataError('the GeoJSON file must be a FeatureCollection with at least one feature');
  }
  const wards: WardInput[] = [];
  const seen = new Set<string>();
  fc.features.forEach((raw: unknown, index: number) => {
    const feature = raw as { properties?: Record<string, unknown> | null; geometry?: unknown };
    const props = feature.properties ?? {};
    const keys = Object.keys(props);
    const codeKey = opts.codeProperty ?? guess(keys, CODE_PATTERNS);
    const nameKey = opts.nameProperty ?? guess(keys, NAME_PATTERNS);
    const where = `feature ${index + 1}`;
    if (!codeKey || typeof props[codeKey] !== 'string' || !(props[codeKey] as string).trim()) {
      throw new WardDataError(`${where} has no ward code: set the code property (found properties: ${keys.join(', ') || 'none'})`);
    }
    if (!nameKey || typeof props[nameKey] !== 'string' || !(props[nameKey] as string).trim()) {
      throw new WardDataError(`${where} has no ward name: set the name property (found properties: ${keys.join(', ') || 'none'})`);
    }
    const code = (props[codeKey] as string).trim();
    if (seen.has(code)) throw new WardDataError(`${where} repeats ward code ${code}`);
    seen.add(code);
    if (!isGeometry(feature.geometry)) {
      throw new WardDataError(`${where} (${code}) needs a Polygon or MultiPolygon geometry with numeric coordinates`);
    }
    wards.push({
      code,
      name: (props[nameKey] as string).trim(),
      geometry: feature.geometry,
      population: null,
      childrenUnder5: null,
      facts: {},
    });
  });
  if (factsCsvText !== undefined) applyFacts(wards, factsCsvText, opts);
  return wards;
}

function applyFacts(wards: WardInput[], csvText: string, opts: WardFileOptions): void {
  let parsed: ReturnType<typeof parseCsvRecords>;
  try {
    parsed = parseCsvRecords(csvText);
  } catch (err) {
    if (err instanceof CsvError) throw new WardDataError(`the facts CSV is malformed: ${err.message}`);
    throw err;
  }
  const { header, records } = parsed;
  const codeCol = opts.factsCodeColumn ?? guess(header, CODE_PATTERNS);
  if (!codeCol || !header.includes(codeCol)) {
    throw new WardDataError(`the facts CSV needs a ward code column (header: ${header.join(', ')})`);
  }
  const nameCol = guess(header, NAME_PATTERNS);
  const popCol = opts.populationColumn ?? guess(header, POPULATION_PATTERNS);
  const u5Col = opts.under5Column ?? guess(header, UNDER5_PATTERNS);
  const byCode = new Map(wards.map((w) => [w.code, w]));
  records.forEach((record, index) => {
    const line = index + 2;
    const code = (record[codeCol] ?? '').trim();
    const ward = byCode.get(code);
    if (!ward) throw new WardDataError(`facts CSV line ${line}: ward code "${code}" is not in the GeoJSON file`);
    for (const [column, rawValue] of Object.entries(record)) {
      if (column === codeCol || column === nameCol) continue;
      const value = rawValue.trim();
      if (value === '') continue;
      const numeric = /^-?\d+(\.\d+)?$/.test(value.replace(/,/g, '')) ? Number(value.replace(/,/g, '')) : undefined;
      if (column === popCol || column === u5Col) {
        if (numeric === undefined || !Number.isInteger(numeric) || numeric < 0) {
          throw new WardDataError(`facts CSV line ${line}: ${column} must be a whole number, got "${value}"`);
        }
        if (column === popCol) ward.population = numeric;
        else ward.childrenUnder5 = numeric;
      } else {
        ward.facts[column] = numeric ?? value;
      }
    }
  });
}
