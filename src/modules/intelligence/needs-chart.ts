import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Cell } from '../../lib/suppression.ts';
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

/** The vega-lite spec of the chart (exported for tests: what data the picture is drawn from). */
export function chartSpec(input: ChartInput): TopLevelSpec {
  const values = input.series.flatMap((s) =>
    s.cells.map((c, i) => ({ month: input.monthLabels[i] ?? input.months[i], category: s.label, n: c.suppressed ? null : c.value })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 560,
    height: 220,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'month', type: 'ordinal', sort: null, title: null, axis: { labelAngle: -45 } },
      y: {
        field: 'n',
        type: 'quantitative',
        title: input.yTitle,
        axis: { tickMinStep: 1, format: 'd', ...(input.suppressed ? { labelExpr: "datum.value >= 1 && datum.value <= 5 ? '' : datum.label" } : {}) },
        scale: { domainMin: 0 },
      },
      color: { field: 'category', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2 } },
    },
    config: { aria: false, font: 'sans-serif' },
  };
}

/** The chart as an SVG string with `role="img"`, a `<title>` and a `<desc>`. */
export async function renderChart(input: ChartInput): Promise<string> {
  const { spec } = compile(chartSpec(input));
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const titleId = `${input.id}-title`;
    const descId = `${input.id}-desc`;
    return svg.replace(
      /^<svg /,
      `<svg role="img" aria-labelledby="${titleId} ${descId}" `,
    ).replace(/^(<svg[^>]*>)/, `$1<title id="${titleId}">${escapeXml(input.title)}</title><desc id="${descId}">${escapeXml(input.description)}</desc>`);
  } finally {
    view.finalize();
  }
}
