import { createHash } from 'node:crypto';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Cell } from '../../lib/suppression.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import type { Month } from './needs.ts';

/**
 * The trend chart: one line per category over the months, rendered on the server to SVG with
 * vega-lite (compile) and vega (`renderer: 'none'`, no canvas, no browser). Hidden cells are not
 * drawn at all (a gap in the line): a point's height would give its number away. On the public
 * chart, axis labels from 1 to 5 are left blank, so the picture never shows a small count as text.
 * The same numbers are in the data table beside the chart (the page's job).
 */

export interface ChartSeries {
  label: string;
  cells: Cell[];
}

export interface ChartInput {
  /** Accessible name, also the SVG's `<title>`. */
  title: string;
  /** Long description (`<desc>`): e.g. "the table below has the numbers". */
  description: string;
  months: Month[];
  monthLabels: string[];
  series: ChartSeries[];
  yTitle: string;
  /** Public chart: blank the axis labels 1–5. */
  suppressed: boolean;
  /** Unique id prefix for the title/desc elements. */
  id: string;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The chart's rows: one per category and month; hidden cells are null (not drawn). */
export function chartValues(input: ChartInput): Array<{ month: string; category: string; n: number | null }> {
  return input.series.flatMap((s) =>
    s.cells.map((c, i) => ({ month: input.monthLabels[i] ?? input.months[i] ?? '', category: s.label, n: c.suppressed ? null : c.value })),
  );
}

/** The vega-lite spec of the chart (exported for tests: what data the picture is drawn from). */
export function chartSpec(input: ChartInput): TopLevelSpec {
  return { ...templateSpec(input.yTitle, input.suppressed), data: { values: chartValues(input) } };
}

/** The spec without its data (named "table"), the same for every chart of a language and kind. */
function templateSpec(yTitle: string, suppressed: boolean): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 560,
    height: 220,
    background: 'white',
    data: { name: 'table' },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      // Months keep the order they come in (the data is in month order).
      x: { field: 'month', type: 'ordinal', sort: null, title: null, axis: { labelAngle: -45 } },
      y: {
        field: 'n',
        type: 'quantitative',
        title: yTitle,
        axis: { tickMinStep: 1, format: 'd', ...(suppressed ? { labelExpr: "datum.value >= 1 && datum.value <= 5 ? '' : datum.label" } : {}) },
        scale: { domainMin: 0 },
      },
      color: { field: 'category', type: 'nominal', title: null, sort: null, legend: { orient: 'bottom', columns: 2 } },
    },
    config: { aria: false, font: 'sans-serif' },
  };
}

// vega-lite's compile and vega's parse cost tens of milliseconds: done once per language and kind.
const runtimes = new Map<string, vega.Runtime>();
function runtimeFor(yTitle: string, suppressed: boolean): vega.Runtime {
  const key = `${suppressed ? 's' : 'e'}:${yTitle}`;
  let rt = runtimes.get(key);
  if (!rt) {
    rt = vega.parse(compile(templateSpec(yTitle, suppressed)).spec);
    if (runtimes.size > 20) runtimes.clear();
    runtimes.set(key, rt);
  }
  return rt;
}

// Rendered charts by content (what is drawn and every label): the same figures give the same SVG.
const rendered = new TtlCache<string>(60_000, 200);

/** The chart as an SVG string with `role="img"`, a `<title>` and a `<desc>` (the same input: the cached SVG, for a minute). */
export function renderChart(input: ChartInput): Promise<string> {
  return rendered.get(createHash('sha256').update(JSON.stringify(input)).digest('base64url'), () => draw(input));
}

async function draw(input: ChartInput): Promise<string> {
  const view = new vega.View(runtimeFor(input.yTitle, input.suppressed), { renderer: 'none' });
  try {
    view.data('table', chartValues(input));
    // The whole picture is one image (role="img", named by its title); vega's own roles and ARIA
    // attributes on the groups inside would make each mark container an unnamed image of its own.
    const svg = (await view.toSVG()).replace(/ (?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"/g, '');
    const titleId = `${input.id}-title`;
    const descId = `${input.id}-desc`;
    return svg
      .replace(/^<svg /, `<svg role="img" aria-labelledby="${titleId} ${descId}" `)
      .replace(/^(<svg[^>]*>)/, `$1<title id="${titleId}">${escapeXml(input.title)}</title><desc id="${descId}">${escapeXml(input.description)}</desc>`);
  } finally {
    view.finalize();
  }
}
