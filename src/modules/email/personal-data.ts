import { and, asc, eq } from 'drizzle-orm';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import { emailOutbox } from './schema.ts';

/** Emails to the member's address: subject and status, not bodies (they held sign-in links). */
/** What eraseFor deletes from or blanks. */
const ERASES = ['email_outbox'] as const;

export const emailPersonalData = {
  order: 30,
  covers: ['email_outbox'],
  async exportFor(db: Executor, { subject }: ExportContext): Promise<DataSection[]> {
    const rows = subject.email
      ? await db
          .select({ subject: emailOutbox.subject, status: emailOutbox.status, createdAt: emailOutbox.createdAt, sentAt: emailOutbox.sentAt })
          .from(emailOutbox)
          .where(and(eq(emailOutbox.tenantId, subject.tenantId), eq(emailOutbox.toAddress, subject.email)))
          .orderBy(asc(emailOutbox.createdAt))
      : [];
    return [{ name: 'emails', columns: ['subject', 'status', 'createdAt', 'sentAt'], rows: rows.map((e) => ({ subject: e.subject, status: e.status, createdAt: iso(e.createdAt), sentAt: iso(e.sentAt) })) }];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, subject: DataSubject): Promise<readonly string[]> {
    if (subject.email) await tx.delete(emailOutbox).where(and(eq(emailOutbox.tenantId, subject.tenantId), eq(emailOutbox.toAddress, subject.email)));
    return ERASES;
  },
} satisfies PersonalDataProvider;
