import { and, asc, eq } from 'drizzle-orm';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import { smsOutbox } from './schema.ts';

/** Texts to the member's number, without their bodies (they held one-time codes). */
/** What eraseFor deletes from or blanks. */
const ERASES = ['sms_outbox'] as const;

export const smsPersonalData = {
  order: 20,
  covers: ['sms_outbox'],
  async exportFor(db: Executor, { subject }: ExportContext): Promise<DataSection[]> {
    const rows = subject.phone
      ? await db
          .select({ template: smsOutbox.template, status: smsOutbox.status, createdAt: smsOutbox.createdAt, sentAt: smsOutbox.sentAt })
          .from(smsOutbox)
          .where(and(eq(smsOutbox.tenantId, subject.tenantId), eq(smsOutbox.toNumber, subject.phone)))
          .orderBy(asc(smsOutbox.createdAt))
      : [];
    return [{ name: 'texts', columns: ['template', 'status', 'createdAt', 'sentAt'], rows: rows.map((x) => ({ template: x.template, status: x.status, createdAt: iso(x.createdAt), sentAt: iso(x.sentAt) })) }];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, subject: DataSubject): Promise<readonly string[]> {
    if (subject.phone) await tx.delete(smsOutbox).where(and(eq(smsOutbox.tenantId, subject.tenantId), eq(smsOutbox.toNumber, subject.phone)));
    return ERASES;
  },
} satisfies PersonalDataProvider;
