import PDFDocument from 'pdfkit';
import { certificateFonts } from '../accreditation/certificate.ts';
import { formatDateTime, type Locale, type MessageKey, type Translate } from '../../ui/i18n/index.ts';
import { cellAt } from './model.ts';
import type { Blueprint, BpCell } from './schema.ts';

/** Stages per page across (a wider blueprint continues on the next pages, the lane names repeated). */
export const STAGES_PER_PAGE = 5;

export interface BlueprintPdfInput {
  bp: Blueprint;
  serviceName: string;
  counts: Map<string, number>;
  t: Translate;
  locale: Locale;
  now?: Date;
}

function cellBody(t: Translate, cell: BpCell | undefined, comments: number): string {
  const parts: string[] = [];
  if (cell?.text) parts.push(cell.text);
  for (const m of cell?.marks ?? []) parts.push(`${t(`bp.mark.${m.kind}` as MessageKey)}: ${m.note}`);
  if (comments) parts.push(t('bp.pdf.comments', { n: comments }));
  return parts.join('\n');
}

/**
 * The blueprint as PDF (A4 landscape, DejaVu Sans like the certificates, so Polish letters show):
 * the grid with marks and a comment count per cell; long text wraps and a row that does not fit
 * goes to the next page; more than STAGES_PER_PAGE stages continue on further pages.
 */
export async function blueprintPdf(input: BlueprintPdfInput, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const { bp, t } = input;
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 36, compress: opts.compress ?? true, lang: input.locale, info: { Title: bp.title, Subject: input.serviceName } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const regular = certificateFonts.regular ?? 'Helvetica';
  const bold = certificateFonts.bold ?? certificateFonts.regular ?? 'Helvetica-Bold';
  const left = 36;
  const top = 36;
  const pageW = doc.page.width - 72;
  const bottom = doc.page.height - 36;
  const laneW = 110;
  const pad = 4;
  const { stages, lanes } = bp.content;
  const pages = Math.max(1, Math.ceil(stages.length / STAGES_PER_PAGE));
  let first = true;
  for (let p = 0; p < pages; p++) {
    const slice = stages.slice(p * STAGES_PER_PAGE, (p + 1) * STAGES_PER_PAGE);
    const colW = slice.length ? (pageW - laneW) / slice.length : pageW - laneW;
    let y = 0;
    let rowsOnPage = 0;
    const header = () => {
      rowsOnPage = 0;
      if (!first) doc.addPage();
      first = false;
      doc.font(bold).fontSize(14).fillColor('#000').text(bp.title + (bp.isDemo ? ` (${t('demo.tag')})` : ''), left, top, { width: pageW });
      doc.font(regular).fontSize(9).text(`${t(`bp.kind.${bp.kind}` as MessageKey)} · ${t('bp.service')}: ${input.serviceName} · ${t('bp.version', { n: bp.version })} · ${formatDateTime(input.locale, input.now ?? new Date())}${pages > 1 ? ` · ${t('bp.pdf.part', { n: p + 1, of: pages })}` : ''}`, left, doc.y + 2, { width: pageW });
      y = doc.y + 8;
      doc.font(bold).fontSize(9);
      const h = Math.max(16, ...slice.map((s) => doc.heightOfString(s.title, { width: colW - 2 * pad }) + 2 * pad));
      doc.rect(left, y, laneW, h).stroke();
      doc.text(t('bp.grid.lane'), left + pad, y + pad, { width: laneW - 2 * pad });
      slice.forEach((s, i) => {
        const x = left + laneW + i * colW;
        doc.rect(x, y, colW, h).stroke();
        doc.text(s.title, x + pad, y + pad, { width: colW - 2 * pad });
      });
      y += h;
    };
    header();
    if (!slice.length) doc.font(regular).fontSize(10).text(t('bp.grid.noStages'), left, y + 8);
    for (const lane of lanes) {
      doc.font(regular).fontSize(8);
      const bodies = slice.map((s) => cellBody(t, cellAt(bp.content, s.id, lane.id), input.counts.get(`${s.id}|${lane.id}`) ?? 0));
      const laneH = doc.font(bold).fontSize(9).heightOfString(lane.title, { width: laneW - 2 * pad });
      doc.font(regular).fontSize(8);
      let h = Math.max(20, laneH + 2 * pad, ...bodies.map((b) => doc.heightOfString(b, { width: colW - 2 * pad }) + 2 * pad));
      // A row that does not fit starts a new page; one taller than a whole page is cut (with an ellipsis).
      if (y + h > bottom && rowsOnPage > 0) header();
      h = Math.min(h, bottom - y);
      rowsOnPage += 1;
      doc.rect(left, y, laneW, h).stroke();
      doc.font(bold).fontSize(9).text(lane.title, left + pad, y + pad, { width: laneW - 2 * pad, height: h - 2 * pad });
      doc.font(regular).fontSize(8);
      bodies.forEach((b, i) => {
        const x = left + laneW + i * colW;
        doc.rect(x, y, colW, h).stroke();
        if (b) doc.text(b, x + pad, y + pad, { width: colW - 2 * pad, height: h - 2 * pad, ellipsis: true });
      });
      y += h;
    }
  }
  doc.end();
  return done;
}
