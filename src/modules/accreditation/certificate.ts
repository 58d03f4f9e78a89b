import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { formatDate } from '../../lib/dates.ts';
import type { Locale, Translate } from '../../ui/i18n/index.ts';
import { formatCode } from './codes.ts';

/**
 * pdfkit's 14 standard fonts are WinAnsi-encoded: "ó" is there but "ąęłńśźż" are not. Certificates
 * embed DejaVu Sans (it has every Polish letter) from the system's fonts (Debian: fonts-dejavu-core).
 * It is not vendored yet: the install must ship it (or set CERTIFICATE_FONT_DIR). Without it the
 * certificate falls back to Helvetica, which drops Polish letters (`fontFallback` says so).
 */
const FONT_DIRS = [process.env.CERTIFICATE_FONT_DIR, '/usr/share/fonts/truetype/dejavu'].filter((d): d is string => !!d);

function findFont(file: string): string | undefined {
  for (const dir of FONT_DIRS) if (existsSync(`${dir}/${file}`)) return `${dir}/${file}`;
  return undefined;
}

export const certificateFonts = { regular: findFont('DejaVuSans.ttf'), bold: findFont('DejaVuSans-Bold.ttf') };
export const fontFallback = !certificateFonts.regular;

export interface CertificateInput {
  t: Translate;
  locale: Locale;
  tenantName: string;
  holderName: string;
  qualification: string;
  issuedOn: string;
  expiresOn: string | null;
  code: string;
  /** The public check page of this certificate (in the QR code and as a link). */
  checkUrl: string;
  isDemo: boolean;
}

/** The certificate as PDF bytes (A4 landscape). `compress: false` keeps content streams readable (tests). */
export async function certificatePdf(input: CertificateInput, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const { t } = input;
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 50,
    compress: opts.compress ?? true,
    lang: input.locale,
    info: { Title: `${t('accreditation.pdf.heading')} – ${input.qualification}`, Author: input.tenantName, Subject: input.checkUrl, Keywords: formatCode(input.code) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const regular = certificateFonts.regular ?? 'Helvetica';
  const bold = certificateFonts.bold ?? certificateFonts.regular ?? 'Helvetica-Bold';
  const width = doc.page.width - 100;
  const dark = '#1a2b3c';

  doc.rect(25, 25, doc.page.width - 50, doc.page.height - 50).lineWidth(3).strokeColor(dark).stroke();
  if (input.isDemo) doc.font(bold).fontSize(18).fillColor('#b00020').text(t('accreditation.pdf.demo'), 50, 45, { width, align: 'center' });
  doc.font(regular).fontSize(16).fillColor(dark).text(input.tenantName, 50, 75, { width, align: 'center' });
  doc.font(bold).fontSize(34).text(t('accreditation.pdf.heading'), 50, 110, { width, align: 'center' });
  doc.font(regular).fontSize(15).text(t('accreditation.pdf.awarded'), 50, 175, { width, align: 'center' });
  doc.font(bold).fontSize(28).text(input.holderName, 50, 200, { width, align: 'center' });
  doc.font(regular).fontSize(15).text(t('accreditation.pdf.holds'), 50, 245, { width, align: 'center' });
  doc.font(bold).fontSize(24).text(input.qualification, 50, 270, { width, align: 'center' });

  doc.font(regular).fontSize(13);
  doc.text(t('accreditation.pdf.issued', { date: formatDate(input.locale, input.issuedOn) }), 70, 360);
  doc.text(input.expiresOn ? t('accreditation.pdf.expires', { date: formatDate(input.locale, input.expiresOn) }) : t('accreditation.pdf.never'), 70, 382);
  doc.font(bold).text(t('accreditation.pdf.code', { code: formatCode(input.code) }), 70, 410);
  doc.font(regular).fontSize(11).text(t('accreditation.pdf.check', { url: input.checkUrl }), 70, 440, { width: 480, link: input.checkUrl, underline: false });

  // QR code drawn as vector squares (no image): the check page of this certificate.
  const qr = QRCode.create(input.checkUrl, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const box = 130;
  const cell = box / (size + 8);
  const x0 = doc.page.width - 70 - box;
  const y0 = doc.page.height - 70 - box;
  doc.rect(x0, y0, box, box).fillColor('#ffffff').fill();
  doc.fillColor('#000000');
  for (let r = 0; r < size; r++) for (let col = 0; col < size; col++) if (qr.modules.get(r, col)) doc.rect(x0 + (col + 4) * cell, y0 + (r + 4) * cell, cell, cell).fill();
  doc.link(x0, y0, box, box, input.checkUrl);
  doc.end();
  return done;
}
