import type { Executor } from '../../db/connection.ts';
import { toCsv } from '../../lib/csv.ts';
import type { Cell } from '../../lib/suppression.ts';
import type { Locale } from '../../ui/i18n/index.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { areaOverview, pickWardSet, wardsWithBoundaries } from '../tenancy/views.ts';
import { exactGrids, filterQuery, type NeedsCategory, type NeedsPicture, type PublishedNeeds } from './needs.ts';

/**
 * CSV and GeoJSON of the needs picture, built from the published figures (`publishNeeds`): the
 * public get the suppressed cells ("c" in CSV, null with `…Suppressed: true` in GeoJSON), exactly
 * as the page shows them; coordinators get exact figures and, in the CSV, every ward × category
 * × month. CSV cells are formula-escaped by `toCsv` (src/lib/csv.ts).
 */

export const NEEDS_CSV_COLUMNS = ['table', 'ward_code', 'ward_name', 'category_key', 'category', 'month_from', 'month_to', 'reports', 'families'] as const;

const csvCell = (c: Cell): string | number => (c.suppressed ? 'c' : (c.value ?? ''));

export function categoryTitle(c: NeedsCategory, locale: Locale): string {
  return locale === 'pl' && c.titlePl ? c.titlePl : c.title;
}

export function needsCsv(p: NeedsPicture, pub: PublishedNeeds, locale: Locale, labels: { total: string; allWards: string }): string {
  const { from, to } = p.filter;
  const rows: Array<Array<string | number>> = [[...NEEDS_CSV_COLUMNS]];
  p.wards.forEach((w, i) => {
    p.categories.forEach((c, j) => {
      rows.push(['ward_category', w.code, w.name, c.key, categoryTitle(c, locale), from, to, csvCell(pub.byWard.reports.cells[i]![j]!), csvCell(pub.byWard.families.cells[i]![j]!)]);
    });
    rows.push(['ward_category', w.code, w.name, '', labels.total, from, to, csvCell(pub.byWard.reports.rowTotals[i]!), csvCell(pub.byWard.families.rowTotals[i]!)]);
  });
  p.categories.forEach((c, j) => {
    rows.push(['ward_category', '', labels.allWards, c.key, categoryTitle(c, locale), from, to, csvCell(pub.byWard.reports.columnTotals[j]!), csvCell(pub.byWard.families.columnTotals[j]!)]);
  });
  rows.push(['ward_category', '', labels.allWards, '', labels.total, from, to, csvCell(pub.byWard.reports.grandTotal), csvCell(pub.byWard.families.grandTotal)]);
  p.categories.forEach((c, j) => {
    p.months.forEach((m, k) => {
      rows.push(['category_month', '', labels.allWards, c.key, categoryTitle(c, locale), m, m, csvCell(pub.trend.reports[j]!.cells[k]!), csvCell(pub.trend.families[j]!.cells[k]!)]);
    });
  });
  if (pub.exact) {
    // Coordinators: the whole cube (non-empty cells), exact.
    const g = exactGrids(p);
    p.wards.forEach((w, i) => {
      p.categories.forEach((c, j) => {
        const reports = g.cube.reports.get(`${i}:${j}`);
        const families = g.cube.families.get(`${i}:${j}`);
        if (!reports || !families) return;
        p.months.forEach((m, k) => {
          if (reports[k] || families[k]) rows.push(['ward_category_month', w.code, w.name, c.key, categoryTitle(c, locale), m, m, reports[k]!, families[k]!]);
        });
      });
    });
  }
  return toCsv(rows);
}

const geoValue = (c: Cell): number | null => (c.suppressed ? null : c.value);

/** One feature per ward of the current set with its period totals (the map's figures). */
export async function needsGeoJson(db: Executor, tenant: Tenant, p: NeedsPicture, pub: PublishedNeeds) {
  const set = pickWardSet(await areaOverview(db, tenant), undefined);
  const shapes = new Map((await wardsWithBoundaries(db, tenant, set)).map((w) => [w.code, w.geometry]));
  const query = filterQuery(p.filter);
  return {
    type: 'FeatureCollection' as const,
    features: p.wards
      .map((w, i) => {
        const reports = pub.byWard.reports.rowTotals[i]!;
        const families = pub.byWard.families.rowTotals[i]!;
        return {
          type: 'Feature' as const,
          properties: {
            code: w.code,
            name: w.name,
            url: `/needs/wards/${encodeURIComponent(w.code)}?${query}`,
            from: p.filter.from,
            to: p.filter.to,
            category: p.filter.category ?? null,
            reports: geoValue(reports),
            reportsSuppressed: reports.suppressed,
            families: geoValue(families),
            familiesSuppressed: families.suppressed,
          },
          geometry: shapes.get(w.code) ?? null,
        };
      })
      .filter((f) => f.geometry),
  };
}
