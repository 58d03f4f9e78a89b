import { isoDate } from '../../lib/dates.ts';
import { and, eq, gte, inArray, isNull, or } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { appendAuditMany } from '../audit/service.ts';
import { wardSummariesOf } from '../tenancy/views.ts';
import { members, wardRepresentatives } from './schema.ts';

export interface WardRemap {
  tenantId: string;
  fromWardSetId: string;
  toWardSetId: string;
  /** Old ward code → new ward code (best fit). Old wards not listed keep their members as they are. */
  mapping: ReadonlyMap<string, string>;
  actor: string;
  /** The day the new wards take over for representatives (YYYY-MM-DD, Europe/London). */
  today: string;
}

function dayBefore(day: string): string {
  // Noon UTC is the same calendar day in Europe/London all year round.
  return isoDate(new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000));
}

/**
 * Move members and current ward representatives from the wards of one set onto the best-fit
 * wards of another, in the caller's transaction, with one audit row per change. Representatives
 * keep their history: the old appointment ends the day before `today` and a new one starts
 * `today` (an appointment that has not started yet simply moves). Running it again changes nothing.
 */
export async function remapMemberWards(tx: Executor, input: WardRemap): Promise<{ members: number; representatives: number }> {
  const [from, to] = await Promise.all([wardSummariesOf(tx, input.tenantId, input.fromWardSetId), wardSummariesOf(tx, input.tenantId, input.toWardSetId)]);
  const toId = new Map(to.map((w) => [w.code, w.id]));
  const codeOf = new Map([...from, ...to].map((w) => [w.id, w.code]));
  const newWardOf = new Map<string, string>();
  for (const w of from) {
    const target = toId.get(input.mapping.get(w.code) ?? '');
    if (target) newWardOf.set(w.id, target);
  }
  const oldIds = [...newWardOf.keys()];
  if (!oldIds.length) return { members: 0, representatives: 0 };
  const audit: Array<{ actor: string; action: string; entity: string; entityId: string; data: Record<string, unknown> }> = [];

  const moving = await tx
    .select({ id: members.id, wardId: members.wardId })
    .from(members)
    .where(and(eq(members.tenantId, input.tenantId), inArray(members.wardId, oldIds)));
  for (const m of moving) {
    const target = newWardOf.get(m.wardId ?? '');
    if (!target) continue;
    await tx.update(members).set({ wardId: target }).where(and(eq(members.tenantId, input.tenantId), eq(members.id, m.id)));
    audit.push({ actor: input.actor, action: 'member.ward_remap', entity: 'member', entityId: m.id, data: { from: codeOf.get(m.wardId ?? ''), to: codeOf.get(target) } });
  }

  const appointments = await tx
    .select()
    .from(wardRepresentatives)
    .where(
      and(
        eq(wardRepresentatives.tenantId, input.tenantId),
        inArray(wardRepresentatives.wardId, oldIds),
        or(isNull(wardRepresentatives.endsOn), gte(wardRepresentatives.endsOn, input.today)),
      ),
    );
  const yesterday = dayBefore(input.today);
  const opened = new Set<string>();
  for (const a of appointments) {
    const target = newWardOf.get(a.wardId);
    if (!target) continue;
    const data = { from: codeOf.get(a.wardId), to: codeOf.get(target), appointmentId: a.id };
    if (a.startsOn >= input.today) {
      await tx.update(wardRepresentatives).set({ wardId: target }).where(and(eq(wardRepresentatives.tenantId, input.tenantId), eq(wardRepresentatives.id, a.id)));
    } else {
      await tx.update(wardRepresentatives).set({ endsOn: yesterday }).where(and(eq(wardRepresentatives.tenantId, input.tenantId), eq(wardRepresentatives.id, a.id)));
      // Two old wards may fit one new ward: one appointment there is enough.
      const key = `${a.memberId}:${target}`;
      if (!opened.has(key)) {
        opened.add(key);
        await tx.insert(wardRepresentatives).values({ tenantId: input.tenantId, id: newId(), memberId: a.memberId, wardId: target, startsOn: input.today, endsOn: a.endsOn, appointedBy: input.actor });
      }
    }
    audit.push({ actor: input.actor, action: 'ward_rep.remap', entity: 'member', entityId: a.memberId, data });
  }
  await appendAuditMany(tx, input.tenantId, audit);
  return { members: moving.length, representatives: appointments.length };
}
