// Derive the 2025 North Northamptonshire ward facts for Corby from the 2011 LSOA profile.
//
//   SHARED_DATA_DIR=/path/to/shared/data npx tsx scripts/corby-ward-fit.ts
//
// Method (stated on the About page): every 2011 LSOA of Corby is cut into a grid of points about
// 25 m apart. Each point carries an equal share of its LSOA's people (ONS mid-2020). An LSOA goes
// wholly to the 2025 ward holding most of its area (best fit by largest overlap), and the ward's
// facts are the sums of its LSOAs, so the ward totals equal the LSOA totals. The same points give
// the old → new ward best fit: each 2015–2021 ward maps to the 2025 ward holding most of its people.
//
// Reads the LSOA polygons from the shared reference data (they are not shipped); writes only
// derived figures and codes into src/modules/tenancy/seed/corby/.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { containsPoint, gridPoints, type PolygonGeometry } from '../src/lib/geo.ts';
import { parseCsvRecords } from '../src/lib/csv.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const shared = path.join(process.env['SHARED_DATA_DIR'] ?? path.resolve(repoRoot, '../shared/data'), 'corby');
const seedDir = path.join(repoRoot, 'src/modules/tenancy/seed/corby');
const STEP_METRES = 25;

interface Feature {
  properties: Record<string, string>;
  geometry: PolygonGeometry;
}
const features = (file: string): Feature[] => (JSON.parse(readFileSync(file, 'utf8')) as { features: Feature[] }).features;

const lsoas = features(path.join(shared, 'corby_lsoa2011.geojson'));
const wards25 = features(path.join(seedDir, 'nn_wards_2025_covering_corby.geojson'));
const wards15 = features(path.join(seedDir, 'corby_wards_2015_2021.geojson'));
const [borough] = features(path.join(seedDir, 'corby_borough_boundary_2020.geojson'));
if (!borough) throw new Error('the Corby boundary file has no feature');
const profile = parseCsvRecords(readFileSync(path.join(seedDir, 'derived_corby_lsoa2011_profile.csv'), 'utf8')).records;

const int = (v: string | undefined) => Number((v ?? '').replace(/,/g, ''));
const round1 = (v: number) => Math.round(v * 10) / 10;
const csvLine = (cells: Array<string | number>) => cells.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',');
const argmax = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];

const ward25Name = new Map(wards25.map((w) => [w.properties['WD25CD'] ?? '', w.properties['WD25NM'] ?? '']));
const ward15Name = new Map(wards15.map((w) => [w.properties['WD20CD'] ?? '', w.properties['WD20NM'] ?? '']));
const which = (list: Feature[], codeKey: string, lon: number, lat: number) =>
  list.find((w) => containsPoint(w.geometry, lon, lat))?.properties[codeKey];

// LSOA → 2025 ward by largest overlap; people of 2015 wards → 2025 wards.
const lookup: string[] = [csvLine(['LSOA11CD', 'LSOA11NM', 'WD25CD', 'WD25NM', 'pct_of_lsoa_area_in_ward'])];
const lsoaWard = new Map<string, string>();
const oldToNew = new Map<string, Map<string, number>>();
for (const lsoa of lsoas) {
  const code = lsoa.properties['LSOA11CD'] ?? '';
  const row = profile.find((r) => r['LSOA11CD'] === code);
  if (!row) throw new Error(`LSOA ${code} is not in the profile`);
  const people = int(row['pop_mid2020_total']);
  const points = gridPoints(lsoa.geometry, STEP_METRES);
  const byWard = new Map<string, number>();
  for (const [lon, lat] of points) {
    const w25 = which(wards25, 'WD25CD', lon, lat);
    if (!w25) continue; // a generalisation sliver between the two boundary files
    byWard.set(w25, (byWard.get(w25) ?? 0) + 1);
    const w15 = which(wards15, 'WD20CD', lon, lat);
    if (!w15) continue;
    const inner = oldToNew.get(w15) ?? new Map<string, number>();
    inner.set(w25, (inner.get(w25) ?? 0) + people / points.length);
    oldToNew.set(w15, inner);
  }
  const best = argmax(byWard);
  if (!best) throw new Error(`LSOA ${code} lies in no 2025 ward`);
  lsoaWard.set(code, best[0]);
  const inWards = [...byWard.values()].reduce((a, b) => a + b, 0);
  lookup.push(csvLine([code, lsoa.properties['LSOA11NM'] ?? '', best[0], ward25Name.get(best[0]) ?? '', round1((100 * best[1]) / inWards)]));
}

// Ward facts: the same columns as the 2015–2021 summary, plus the share of the ward inside Corby.
const summary: string[] = [
  csvLine(['WD25CD', 'WD25NM', 'n_lsoa2011', 'pop_mid2020_total', 'pop_mid2020_age0to4', 'pct_age0to4', 'min_IMD2019_decile', 'n_lsoa_IMD2019_decile1', 'n_lsoa_IMD2019_decile1or2', 'pop_mid2020_age0to4_in_decile1or2_lsoas', 'pct_area_in_former_corby_borough']),
];
for (const ward of wards25) {
  const code = ward.properties['WD25CD'] ?? '';
  const rows = profile.filter((r) => lsoaWard.get(r['LSOA11CD'] ?? '') === code);
  const pop = rows.reduce((s, r) => s + int(r['pop_mid2020_total']), 0);
  const u5 = rows.reduce((s, r) => s + int(r['pop_mid2020_age0to4']), 0);
  const deciles = rows.map((r) => int(r['IMD2019_decile']));
  const u5Deprived = rows.filter((r) => int(r['IMD2019_decile']) <= 2).reduce((s, r) => s + int(r['pop_mid2020_age0to4']), 0);
  const points = gridPoints(ward.geometry, 100);
  const inside = points.filter(([lon, lat]) => containsPoint(borough.geometry, lon, lat)).length;
  const pctInside = round1((100 * inside) / Math.max(points.length, 1));
  // A ward with no LSOA of its own gets no figures (unknown), never a misleading zero.
  summary.push(
    csvLine(
      rows.length
        ? [code, ward25Name.get(code) ?? '', rows.length, pop, u5, round1((100 * u5) / pop), Math.min(...deciles), deciles.filter((d) => d === 1).length, deciles.filter((d) => d <= 2).length, u5Deprived, pctInside]
        : [code, ward25Name.get(code) ?? '', 0, '', '', '', '', '', '', '', pctInside],
    ),
  );
}

const mapping: string[] = [csvLine(['WD20CD', 'WD20NM', 'WD25CD', 'WD25NM', 'pct_of_people_in_ward'])];
for (const [old, inner] of [...oldToNew.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
  const best = argmax(inner);
  if (!best) continue;
  const total = [...inner.values()].reduce((a, b) => a + b, 0);
  mapping.push(csvLine([old, ward15Name.get(old) ?? '', best[0], ward25Name.get(best[0]) ?? '', round1((100 * best[1]) / total)]));
}
if (mapping.length !== wards15.length + 1) throw new Error('some 2015–2021 ward got no 2025 ward');

writeFileSync(path.join(seedDir, 'derived_lsoa2011_to_ward2025_bestfit.csv'), `${lookup.join('\n')}\n`);
writeFileSync(path.join(seedDir, 'derived_ward2025_summary.csv'), `${summary.join('\n')}\n`);
writeFileSync(path.join(seedDir, 'derived_ward2015_to_ward2025_bestfit.csv'), `${mapping.join('\n')}\n`);
console.log(summary.join('\n'));
console.log(mapping.join('\n'));
