import { and, asc, eq } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import type { Executor } from '../../db/connection.ts';
import { formatDateTime } from '../../lib/dates.ts';
import type { Locale, Translate } from '../../ui/i18n/index.ts';
import { certificateFonts } from '../accreditation/certificate.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { agendaOf, papersOf } from './meetings.ts';
import { govMotions, type GovMeeting } from './schema.ts';

/**
 * The AGM (or general meeting) pack as PDF: the notice, the agenda, the board's report and the
 * accounts summary where present, and the resolutions to be voted on (gov_motions of the meeting).
 * DejaVu Sans from the system fonts, as the certificates (Polish letters).
 */
export async function agmPackPdf(db: Executor, tenant: Pick<Tenant, 'name'>, m: GovMeeting, opts: { t: Translate; locale: Locale; baseUrl: string; compress?: boolean }): Promise<Buffer> {
  const { t, locale } = opts;
  const agenda = await agendaOf(db, m.tenantId, m.id);
  const papers = await papersOf(db, m.tenantId, m.id);
  const motions = await db
    .select()
    .from(govMotions)
    .where(and(eq(govMotions.tenantId, m.tenantId), eq(govMotions.meetingId, m.id)))
    .orderBy(asc(govMotions.createdAt));
  const title = locale === 'pl' && m.titlePl ? m.titlePl : m.title;
  const doc = new PDFDocument({ size: 'A4', margin: 56, compress: opts.compress ?? true, lang: locale, info: { Title: `${t('gov.core.pack.heading')} – ${title}`, Author: tenant.name } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const regular = certificateFonts.regular ?? 'Helvetica';
  const bold = certificateFonts.bold ?? certificateFonts.regular ?? 'Helvetica-Bold';
  const h = (text: string, size = 16) => doc.moveDown(0.8).font(bold).fontSize(size).fillColor('#1a2b3c').text(text).moveDown(0.3);
  const p = (text: string) => doc.font(regular).fontSize(11).fillColor('#000000').text(text, { paragraphGap: 6 });

  if (m.isDemo) doc.font(bold).fontSize(14).fillColor('#b00020').text(t('gov.core.pack.demo'), { align: 'center' });
  doc.font(regular).fontSize(13).fillColor('#1a2b3c').text(tenant.name, { align: 'center' });
  doc.font(bold).fontSize(22).text(title, { align: 'center' });
  doc.font(regular).fontSize(12).text(t('gov.core.pack.heading'), { align: 'center' });

  h(t('gov.core.pack.notice'));
  p(t('gov.core.pack.noticeText', { title, when: formatDateTime(locale, m.startsAt), place: m.location || t('gov.core.meeting.online') }));
  if (m.calledAt) p(t('gov.core.pack.calledOn', { date: formatDateTime(locale, m.calledAt) }));
  p(`${opts.baseUrl}/governance/meetings/${m.id}`);

  h(t('gov.core.agenda.title'));
  if (!agenda.length) p(t('gov.core.meeting.noAgenda'));
  agenda.forEach((a, i) => {
    doc.font(bold).fontSize(11).fillColor('#000000').text(`${i + 1}. ${locale === 'pl' && a.titlePl ? a.titlePl : a.title}`);
    if (a.body) p(a.body);
  });

  for (const kind of ['board_report', 'accounts_summary'] as const) {
    for (const paper of papers.filter((x) => x.kind === kind)) {
      h(`${t(`gov.core.paperKind.${kind}`)}: ${paper.title}`);
      if (paper.body) for (const para of paper.body.split(/\n{2,}/)) p(para);
      if (paper.url) p(paper.url.startsWith('/') ? `${opts.baseUrl}${paper.url}` : paper.url);
    }
  }

  h(t('gov.core.pack.resolutions'));
  if (!motions.length) p(t('gov.core.pack.noResolutions'));
  motions.forEach((mo, i) => {
    doc.font(bold).fontSize(11).fillColor('#000000').text(`${i + 1}. ${locale === 'pl' && mo.titlePl ? mo.titlePl : mo.title} (${t(mo.kind === 'special' ? 'gov.core.pack.special' : 'gov.core.pack.ordinary', { pct: mo.thresholdPct })})`);
    p(locale === 'pl' && mo.bodyPl ? mo.bodyPl : mo.body);
    if (mo.proposerName) p(t('gov.core.pack.proposed', { proposer: mo.proposerName, seconder: mo.seconderName || '—' }));
  });
  doc.end();
  return done;
}
