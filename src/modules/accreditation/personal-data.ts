import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import { isoDate } from '../../lib/dates.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { formatCode } from './codes.ts';
import { qualifications } from './schema.ts';
import { qualificationsOfMember, statusOf } from './views.ts';

const ERASES = ['qualifications'] as const;

/** The member's qualifications (download); erasure deletes them (privacy.ts says why). */
export const accreditationPersonalData = {
  order: 30,
  covers: ['qualifications'],
  async exportFor(db: Executor, { subject }: ExportContext): Promise<DataSection[]> {
    const awards = await qualificationsOfMember(db, subject.tenantId, subject.id);
    const codes = new Map((await db.select({ id: qualifications.id, code: qualifications.code, revokeReason: qualifications.revokeReason }).from(qualifications).where(and(eq(qualifications.tenantId, subject.tenantId), eq(qualifications.memberId, subject.id)))).map((r) => [r.id, r]));
    const today = isoDate();
    return [
      {
        name: 'qualifications',
        columns: ['qualification', 'issuedOn', 'expiresOn', 'status', 'source', 'course', 'reason', 'renewal', 'verificationCode', 'revokedAt', 'revokeReason'],
        rows: awards.map((a) => ({
          qualification: a.title,
          issuedOn: a.issuedOn,
          expiresOn: a.expiresOn,
          status: statusOf(a, today),
          source: a.source,
          course: a.courseKey,
          reason: a.reason,
          renewal: a.renewalOf !== null,
          verificationCode: formatCode(codes.get(a.id)?.code ?? ''),
          revokedAt: iso(a.revokedAt),
          revokeReason: codes.get(a.id)?.revokeReason ?? null,
        })),
      },
    ];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, subject: DataSubject): Promise<readonly string[]> {
    await tx.delete(qualifications).where(and(eq(qualifications.tenantId, subject.tenantId), eq(qualifications.memberId, subject.id)));
    return ERASES;
  },
} satisfies PersonalDataProvider;
