import { and, count, eq } from 'drizzle-orm';
import { isoDate } from '../../lib/dates.ts';
import type { DemoPart } from '../../server/demo.ts';
import { demoMembers } from '../membership/views.ts';
import { addDays, addMonths } from './calendar.ts';
import { kindsOf } from './queries.ts';
import { insertAward } from './service.ts';
import { qualifications } from './schema.ts';

const DEMO_ACTOR = 'system:demo';

/**
 * Demo awards on the demo members (deterministic): safeguarding for the first 24 (the first four
 * expiring within 30 days), street champion for the first 12, induction for every other one, and one
 * revoked group-leader award. All flagged `is_demo`; the check page calls them demo certificates.
 */
export const accreditationDemo: DemoPart = {
  name: 'qualifications',
  async load({ db, tenant, today }) {
    const [existing] = await db.select({ n: count() }).from(qualifications).where(and(eq(qualifications.tenantId, tenant.id), eq(qualifications.isDemo, true)));
    if ((existing?.n ?? 0) > 0) return 0;
    const people = (await demoMembers(db, tenant.id)).filter((m) => m.status === 'active').slice(0, 30);
    const kinds = new Map((await kindsOf(db, tenant.id)).map((k) => [k.key, k]));
    const day = isoDate(today);
    const plan: Array<{ memberId: string; key: string; issuedOn: string; revoke?: boolean }> = [];
    people.forEach((m, i) => {
      if (i < 24) plan.push({ memberId: m.id, key: 'safeguarding', issuedOn: i < 4 ? addDays(addMonths(day, -36), 5 + i * 5) : addMonths(day, -(2 + (i % 20))) });
      if (i < 12) plan.push({ memberId: m.id, key: 'street-champion', issuedOn: addMonths(day, -(1 + (i % 10))) });
      if (i % 2 === 0) plan.push({ memberId: m.id, key: 'induction', issuedOn: addMonths(day, -(3 + (i % 12))) });
      if (i === 12) plan.push({ memberId: m.id, key: 'group-leader', issuedOn: addMonths(day, -4), revoke: true });
    });
    return db.transaction(async (tx) => {
      let added = 0;
      for (const p of plan) {
        const kind = kinds.get(p.key);
        if (!kind) continue;
        const id = await insertAward(tx, { tenantId: tenant.id, memberId: p.memberId, kind, issuedOn: p.issuedOn, source: 'manual', courseKey: null, sessionId: null, reason: 'Demo data', renewalOf: null, actor: DEMO_ACTOR, isDemo: true });
        if (p.revoke) await tx.update(qualifications).set({ revokedAt: today, revokedBy: DEMO_ACTOR, revokeReason: 'Demo: revoked to show how it looks' }).where(and(eq(qualifications.tenantId, tenant.id), eq(qualifications.id, id)));
        added++;
      }
      return added;
    });
  },
  async clear({ db, tenant }) {
    const gone = await db.delete(qualifications).where(and(eq(qualifications.tenantId, tenant.id), eq(qualifications.isDemo, true))).returning({ id: qualifications.id });
    return gone.length;
  },
};
