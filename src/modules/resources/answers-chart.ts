import { createHash } from 'node:crypto';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { TtlCache } from '../../lib/ttl-cache.ts';

/**
 * The answers' bar charts: vega-lite compiled once per axis title, rendered by vega to SVG on the
 * server (`renderer: 'none'`). Bars whose value is hidden or not applicable are not drawn; the
 * figures are in the table beside the chart.
 */

export interface BarInput {
  id: string;
  title: string;
  description: string;
  xTitle: string;
  bars: Array<{ label: string; value: number }>;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** At most this many bars (the table has every row). */
export const MAX_BARS = 25;

function template(xTitle: string): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 320,
    height: { step: 18 },
    background: 'white',
    data: { name: 'table' },
    mark: { type: 'bar', color: '#1f5f8b' },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 180 } },
      x: { field: 'value', type: 'quantitative', title: xTitle, scale: { domainMin: 0 } },
    },
    config: { aria: false, font: 'sans-serif' },
  };
}

const runtimes = new Map<string, vega.Runtime>();
function runtimeFor(xTitle: string): vega.Runtime {
  let rt = runtimes.get(xTitle);
  if (!rt) {
    rt = vega.parse(compile(template(xTitle)).spec);
    if (runtimes.size > 50) runtimes.clear();
    runtimes.set(xTitle, rt);
  }
  return rt;
}

const rendered = new TtlCache<string>(60_000, 200);

/** The chart as SVG with `role="img"`, `<title>` and `<desc>` (the same input: the cached SVG, for a minute). */
export function renderBars(input: BarInput): Promise<string> {
  return rendered.get(createHash('sha256').update(JSON.stringify(input)).digest('base64url'), () => draw(input));
}

async function draw(input: BarInput): Promise<string> {
  const view = new vega.View(runtimeFor(input.xTitle), { renderer: 'none' });
  try {
    // Labels must be unique for a nominal axis: a repeated label gets a thin space suffix.
    const seen = new Map<string, number>();
    const values = input.bars.slice(0, MAX_BARS).map((b) => {
      const n = seen.get(b.label) ?? 0;
      seen.set(b.label, n + 1);
      return { label: n ? `${b.label}${'\u2009'.repeat(n)}` : b.label, value: b.value };
    });
    view.data('table', values);
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
