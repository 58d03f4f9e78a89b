import { and, asc, gte, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { formatDate, isoDate } from '../../lib/dates.ts';
import type { Deps } from '../../server/context.ts';
import { isLocale, translator } from '../../ui/i18n/index.ts';
import { enqueueEmail } from '../email/service.ts';
import { activeMembersWithRole, memberCards, type MemberCard } from '../membership/views.ts';
import type { ScheduledJob } from '../manifest.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { tenantBaseUrl } from '../tenancy/views.ts';
import { dbsChecks } from './schema.ts';
import { addDays } from './service.ts';

/** How far ahead a renewal is announced. */
export const RENEWAL_NOTICE_DAYS = 30;

/**
 * Tell the coordinators and safeguarding leads about DBS checks due for renewal in the next 30
 * days: one email per check and recipient, ever (the outbox's dedupe key carries the check and its
 * renewal date, so a rerun or a second process queues nothing new; a renewal date moved later
 * announces the new one). The email names the member by number only, with a link to the record
 * (which the reader must be allowed to open). Answers how many emails were queued.
 */
export async function sendDbsRenewalReminders(db: Db, publicUrl: string, now: Date, opts: { tenantId?: string } = {}): Promise<number> {
  const today = isoDate(now);
  const due = await db
    .select({ tenantId: dbsChecks.tenantId, id: dbsChecks.id, memberId: dbsChecks.memberId, renewalOn: dbsChecks.renewalOn })
    .from(dbsChecks)
    .where(
      and(
        isNotNull(dbsChecks.renewalOn),
        gte(dbsChecks.renewalOn, today),
        lte(dbsChecks.renewalOn, addDays(today, RENEWAL_NOTICE_DAYS)),
        sql`${dbsChecks.decision} IS DISTINCT FROM 'not_appointed'`,
        opts.tenantId ? sql`${dbsChecks.tenantId} = ${opts.tenantId}` : undefined,
      ),
    )
    .orderBy(asc(dbsChecks.tenantId), asc(dbsChecks.renewalOn));
  let queued = 0;
  const tenants = [...new Set(due.map((d) => d.tenantId))];
  for (const tenantId of tenants) {
    const checks = due.filter((d) => d.tenantId === tenantId);
    const recipients = new Map<string, MemberCard>();
    for (const role of ['coordinator', 'safeguarding_lead'] as const) for (const m of await activeMembersWithRole(db, tenantId, role)) if (m.email) recipients.set(m.id, m);
    if (!recipients.size) continue;
    const numbers = new Map((await memberCards(db, tenantId, checks.map((c) => c.memberId))).map((c) => [c.id, c.memberNumber]));
    // tenantBaseUrl reads only the tenant's id (its host names are tenancy's).
    const base = await tenantBaseUrl(db, { id: tenantId } as Tenant, publicUrl);
    await db.transaction(async (tx) => {
      for (const check of checks) {
        for (const r of recipients.values()) {
          const locale = isLocale(r.preferredLocale) ? r.preferredLocale : 'en';
          const t = translator(locale);
          const url = `${base}/coordinator/dbs/${check.id}?lang=${locale}`;
          const res = await enqueueEmail(tx, {
            tenantId,
            to: r.email!,
            subject: t('volunteering.dbs.mail.renewal.subject', { number: numbers.get(check.memberId) ?? 0 }),
            text: t('volunteering.dbs.mail.renewal.body', { number: numbers.get(check.memberId) ?? 0, date: check.renewalOn ? formatDate(locale, check.renewalOn) : '', url }),
            template: 'volunteering.dbs_renewal',
            locale,
            dedupeKey: `volunteering.dbs_renewal:${check.id}:${check.renewalOn}:${r.id}`,
          });
          if (!res.duplicate) queued++;
        }
      }
    });
  }
  return queued;
}

export const volunteeringJobs: readonly ScheduledJob[] = [{ name: 'dbs-renewal-reminders', run: (deps: Deps, now: Date) => sendDbsRenewalReminders(deps.database.db, deps.config.publicUrl, now) }];
