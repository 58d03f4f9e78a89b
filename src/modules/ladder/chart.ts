import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/**
 * Server-rendered SVG charts (vega-lite 5 compiled to vega, rendered headless with `renderer:
 * 'none'`): no script reaches the browser. The SVG gets `role="img"` and a `<title>` (its accessible
 * name); the page puts the same numbers in a table beside it. Fixed width/height are dropped so the
 * viewBox scales the chart to a phone's width.
 */
export async function renderChart(spec: TopLevelSpec, title: string, id: string): Promise<string> {
  const compiled = vl.compile({ ...spec, config: { font: 'system-ui, sans-serif', ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return accessible(svg, title, id);
  } finally {
    view.finalize();
  }
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** role="img", aria-labelledby → <title>; the root's fixed size removed (the viewBox stays); inner roles and aria labels removed. */
export function accessible(svg: string, title: string, id: string): string {
  // The image is named by its title; vega's own roles and labels on the marks inside would make
  // each mark a separate unnamed graphic to assistive technology, so they go.
  const plain = svg.replace(/\s(role|aria-[a-z]+)="[^"]*"/g, '');
  return plain.replace(/^<svg([^>]*)>/, (_m, attrs: string) => {
    const kept = attrs.replace(/\s(width|height)="[^"]*"/g, '');
    return `<svg${kept} role="img" aria-labelledby="${id}" focusable="false"><title id="${id}">${escapeXml(title)}</title>`;
  });
}
