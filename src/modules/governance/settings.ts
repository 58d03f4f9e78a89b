import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { isCalendarDate } from '../../lib/dates.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { govSettings } from './schema.ts';

export type GovSettings = typeof govSettings.$inferSelect;

/** The tenant's rules (the row is made by seedTenant; made here too if missing). */
export async function governanceSettings(db: Executor, tenantId: string): Promise<GovSettings> {
  const [row] = await db.select().from(govSettings).where(eq(govSettings.tenantId, tenantId));
  if (row) return row;
  await db.insert(govSettings).values({ tenantId }).onConflictDoNothing();
  const [made] = await db.select().from(govSettings).where(eq(govSettings.tenantId, tenantId));
  return made!;
}

const int = (min: number, max: number) => z.coerce.number({ message: 'gov.core.error.number' }).int('gov.core.error.number').min(min, 'gov.core.error.number').max(max, 'gov.core.error.number');
const bool = z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean());

export const SettingsInput = z.object({
  societyName: z.string().trim().max(200, 'gov.core.error.tooLong'),
  registrationNumber: z.string().trim().max(50, 'gov.core.error.tooLong'),
  registeredOn: z
    .string()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isCalendarDate(v), 'gov.core.error.date'),
  registerName: z.string().trim().min(1, 'gov.core.error.required').max(200, 'gov.core.error.tooLong'),
  boardQuorumKind: z.enum(['number', 'share'], { message: 'gov.core.error.quorumKind' }),
  boardQuorumValue: int(1, 1000),
  generalQuorumKind: z.enum(['number', 'share'], { message: 'gov.core.error.quorumKind' }),
  generalQuorumValue: int(1, 100_000),
  boardNoticeDays: int(0, 90),
  generalNoticeDays: int(0, 90),
  agmNoticeDays: int(0, 90),
  specialThresholdPct: int(51, 100),
  proxiesAllowed: bool,
  rotationDenominator: int(0, 10),
  wardSeats: bool,
  termYears: int(1, 10),
}).superRefine((s, ctx) => {
  if (s.boardQuorumKind === 'share' && s.boardQuorumValue > 100) ctx.addIssue({ code: 'custom', path: ['boardQuorumValue'], message: 'gov.core.error.share' });
  if (s.generalQuorumKind === 'share' && s.generalQuorumValue > 100) ctx.addIssue({ code: 'custom', path: ['generalQuorumValue'], message: 'gov.core.error.share' });
});
export type SettingsInput = z.input<typeof SettingsInput>;

export async function updateSettings(db: Db, actor: Actor, input: SettingsInput): Promise<GovSettings> {
  requirePermission(actor, 'governance.manage');
  const parsed = SettingsInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the settings.', fieldIssues(parsed.error), 'gov.core.error.fix');
  return db.transaction(async (tx) => {
    await governanceSettings(tx, actor.tenantId);
    const [row] = await tx.update(govSettings).set({ ...parsed.data, updatedAt: sql`now()` }).where(eq(govSettings.tenantId, actor.tenantId)).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'governance.settings.update', entity: 'gov_settings', entityId: actor.tenantId, data: { registered: parsed.data.registrationNumber !== '' } });
    return row!;
  });
}
