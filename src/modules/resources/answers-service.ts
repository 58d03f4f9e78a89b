import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import type { Thresholds } from './answers-queries.ts';
import { EVIDENCE_LEVELS, resSettings, type EvidenceLevel } from './schema.ts';

/** Checks the marginal-impact thresholds form: families per £1,000 from 0 to 10,000 (up to 1 decimal place), an evidence level. */
export function checkThresholds(form: Record<string, unknown>): Thresholds {
  const issues: FieldIssue[] = [];
  const raw = String(form.familiesPer1000 ?? '').trim().replace(',', '.');
  const n = Number(raw);
  if (!/^\d+(\.\d)?$/.test(raw) || !Number.isFinite(n) || n > 10_000) issues.push({ field: 'familiesPer1000', message: 'res.answers.error.threshold' });
  const e = String(form.evidenceAtMost ?? '');
  if (!(EVIDENCE_LEVELS as readonly string[]).includes(e)) issues.push({ field: 'evidenceAtMost', message: 'res.answers.error.evidence' });
  if (issues.length) throw new AppError('validation_failed', 'Families per £1,000 must be a number from 0 to 10,000 (one decimal place at most) and evidence one of none, some, good, strong.', issues, 'res.answers.error.thresholds');
  return { familiesPer1000: n, evidenceAtMost: e as EvidenceLevel };
}

/** Saves the thresholds (resources.plan), with an audit row; a tenant without settings gets its row (and family-key secret) now. */
export async function updateThresholds(db: Db, actor: Actor, form: Record<string, unknown>): Promise<Thresholds> {
  requirePermission(actor, 'resources.plan');
  const th = checkThresholds(form);
  await db.transaction(async (tx) => {
    await tx
      .insert(resSettings)
      .values({ tenantId: actor.tenantId, familyKeySecret: randomBytes(32).toString('base64url'), marginalFamiliesPer1000: th.familiesPer1000, marginalEvidenceAtMost: th.evidenceAtMost })
      .onConflictDoUpdate({ target: resSettings.tenantId, set: { marginalFamiliesPer1000: th.familiesPer1000, marginalEvidenceAtMost: th.evidenceAtMost, updatedAt: sql`now()` } });
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.thresholds.update', entity: 'res_settings', entityId: actor.tenantId, data: { familiesPer1000: th.familiesPer1000, evidenceAtMost: th.evidenceAtMost } });
  });
  return th;
}
