import { formatDate } from '../../lib/dates.ts';
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { Db } from '../../db/connection.ts';
import { allows, route, type RouteTarget } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import type { Locale, Translate } from '../../ui/i18n/index.ts';
import { viewOf } from '../../ui/view.ts';
import { answerTitle, nowOf, readPeriod, seesExact } from './answers-pages.tsx';
import { periodLabel, type Period } from './answers-period.ts';
import { displayValue, loadAnswer, plainNumber, type AnswerName, type AnswerTable } from './answers.ts';
import { compareScenarios, listScenarios } from './scenario.ts';
import { comparisonTable } from './scenario-table.ts';

/**
 * The printable audit report (`/resources/report.pdf?period=…`, pdfkit, DejaVu Sans as the
 * certificates): a title page, then each answer's table (the same tables as the pages, so the
 * same figures) with bars drawn with pdfkit rectangles, then the saved scenarios compared.
 */

// DejaVu Sans from the system fonts (Polish letters), as the certificates; Helvetica without it.
const FONT_DIRS = [process.env.CERTIFICATE_FONT_DIR, '/usr/share/fonts/truetype/dejavu'].filter((d): d is string => !!d);
const findFont = (file: string) => FONT_DIRS.map((d) => `${d}/${file}`).find((f) => existsSync(f));
const fonts = { regular: findFont('DejaVuSans.ttf'), bold: findFont('DejaVuSans-Bold.ttf') };

export const REPORT_SECTIONS: readonly AnswerName[] = ['spend-by-category', 'spend-by-tier', 'spend-by-provider', 'spend-by-ward', 'cost-per-category', 'cost-per-service', 'early-acute', 'duplication', 'marginal'];

export interface ReportInput {
  t: Translate;
  locale: Locale;
  tenantName: string;
  period: Period;
  generatedOn: string;
  sections: Array<{ title: string; table: AnswerTable }>;
}

export async function buildReportInput(db: Db, tenantId: string, tenantName: string, period: Period, opts: { t: Translate; locale: Locale; exact: boolean; scenarios: boolean; now: Date }): Promise<ReportInput> {
  const { t, locale } = opts;
  const sections: ReportInput['sections'] = [];
  for (const name of REPORT_SECTIONS) sections.push({ title: t(answerTitle(name)), table: await loadAnswer(db, tenantId, name, period, { t, locale, exact: opts.exact }) });
  if (opts.scenarios) {
    const saved = await listScenarios(db, tenantId);
    if (saved.length) {
      const compared = await compareScenarios(db, tenantId, saved.map((s) => s.id), (p) => t('res.answers.scenario.baseline', { period: periodLabel(t, p) }));
      sections.push({ title: t('res.answers.scenario.compare.title'), table: comparisonTable(t, compared, (x) => periodLabel(t, x.period)) });
    }
  }
  const d = opts.now;
  return { t, locale, tenantName, period, generatedOn: formatDate(locale, d), sections };
}

/** The report as PDF bytes (A4 portrait). `compress: false` keeps the content streams readable (tests). */
export async function reportPdf(input: ReportInput, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const { t, locale } = input;
  const doc = new PDFDocument({ size: 'A4', margin: 40, compress: opts.compress ?? true, lang: locale, info: { Title: t('res.answers.report.title'), Author: input.tenantName, Subject: periodLabel(t, input.period) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const regular = fonts.regular ?? 'Helvetica';
  const bold = fonts.bold ?? fonts.regular ?? 'Helvetica-Bold';
  const left = 40;
  const width = doc.page.width - 80;
  const bottom = doc.page.height - 50;

  // Title page.
  doc.font(bold).fontSize(26).fillColor('#1a2b3c').text(t('res.answers.report.title'), left, 200, { width, align: 'center' });
  doc.moveDown();
  doc.font(regular).fontSize(16).text(input.tenantName, { width, align: 'center' });
  doc.moveDown();
  doc.fontSize(14).text(periodLabel(t, input.period), { width, align: 'center' });
  doc.moveDown();
  doc.fontSize(11).fillColor('#444444').text(t('res.answers.report.generated', { date: input.generatedOn }), { width, align: 'center' });
  doc.moveDown(2);
  doc.fontSize(10).text(t('res.answers.report.intro'), { width, align: 'left' });

  for (const { title, table } of input.sections) {
    doc.addPage();
    doc.font(bold).fontSize(16).fillColor('#1a2b3c').text(title, left, 40, { width });
    doc.font(regular).fontSize(8).fillColor('#444444');
    for (const n of table.notes) doc.text(n, { width });
    doc.moveDown(0.5);
    // Bars: the chart column, at most 15 bars, scaled to the largest.
    if (table.chart && table.name !== 'duplication') {
      const col = table.columns[table.chart.value]!;
      const bars = table.rows.flatMap((r) => {
        const v = plainNumber(col, r.values[table.chart!.value] ?? null);
        return v === null ? [] : [{ label: String(r.values[table.chart!.label] ?? ''), v, text: displayValue(col, r.values[table.chart!.value] ?? null, locale) }];
      }).slice(0, 15);
      const max = Math.max(0, ...bars.map((b) => b.v));
      if (bars.length && max > 0) {
        doc.font(bold).fontSize(9).fillColor('#1a2b3c').text(col.label, { width });
        for (const b of bars) {
          const y = doc.y;
          doc.font(regular).fontSize(7).fillColor('#1a2b3c').text(b.label.slice(0, 40), left, y, { width: 160, lineBreak: false });
          const w = Math.max(1, (b.v / max) * (width - 250));
          doc.rect(left + 165, y, w, 8).fillColor('#1f5f8b').fill();
          doc.fillColor('#1a2b3c').text(b.text, left + 170 + w, y, { width: 80, lineBreak: false });
          doc.x = left;
          doc.y = y + 11;
        }
        doc.moveDown();
      }
    }
    // The table.
    const cols = table.columns.length;
    const firstW = Math.min(170, width * 0.3);
    const otherW = (width - firstW) / Math.max(1, cols - 1);
    const xs = table.columns.map((_, i) => (i === 0 ? left : left + firstW + (i - 1) * otherW));
    const ws = table.columns.map((_, i) => (i === 0 ? firstW : otherW) - 3);
    const drawRow = (cells: string[], font: string) => {
      doc.font(font).fontSize(7);
      const h = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: ws[i]! }))) + 3;
      if (doc.y + h > bottom) {
        doc.addPage();
        doc.y = 40;
      }
      const y = doc.y;
      cells.forEach((c, i) => doc.fillColor('#1a2b3c').text(c, xs[i]!, y, { width: ws[i]!, align: i > 0 && table.columns[i]!.kind !== 'text' ? 'right' : 'left' }));
      doc.x = left;
      doc.y = y + h;
    };
    doc.x = left;
    drawRow(table.columns.map((c) => c.label), bold);
    if (!table.rows.length) drawRow([t('res.answers.none'), ...table.columns.slice(1).map(() => '')], regular);
    for (const r of table.rows) drawRow(r.values.map((v, i) => displayValue(table.columns[i]!, v, locale)), regular);
    if (table.total) drawRow(table.total.values.map((v, i) => displayValue(table.columns[i]!, v, locale)), bold);
  }
  doc.end();
  return done;
}

export function registerReportPage(app: RouteTarget): void {
  route(app, 'GET', '/resources/report.pdf', 'resources.read', async (c) => {
    const view = viewOf(c);
    const { period, issues } = readPeriod(c);
    if (issues.length) throw new AppError('validation_failed', 'Check the period.', issues, 'res.answers.error.period');
    const roles = c.get('actor')?.roles ?? [];
    const input = await buildReportInput(c.get('deps').database.db, c.get('tenant').id, c.get('tenant').name, period, { t: view.t, locale: view.locale, exact: seesExact(c), scenarios: allows('resources.plan', roles), now: nowOf(c) });
    const pdf = await reportPdf(input);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', `attachment; filename="resource-audit-${period.key}.pdf"`);
    return c.body(new Uint8Array(pdf), 200, { 'Content-Type': 'application/pdf' });
  });
}
