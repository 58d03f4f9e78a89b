import type { Db } from '../../db/connection.ts';
import { instantToLondon } from '../../lib/dates.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { createMeeting } from './meetings.ts';
import type { MeetingKind } from './schema.ts';

export async function actorFor(db: Db, tenantId: string, opts: { roles?: Role[]; name?: string; email?: string } = {}) {
  const built = await buildMember(db, tenantId, opts);
  const actor: Actor = { tenantId, memberId: built.member.id, roles: new Set<Role>(['member', ...(opts.roles ?? [])]), sessionId: 'test' };
  return { ...built, actor };
}

/** A fresh tenant (seeded governance: settings, standard documents, 9 seats) and an admin actor. */
export async function govSetup(db: Db) {
  const { tenant, host } = await buildTenant(db, { wards: false });
  const admin = await actorFor(db, tenant.id, { roles: ['admin'], name: 'Ada Admin' });
  return { tenant, host, admin };
}

export async function meetingAt(db: Db, actor: Actor, kind: MeetingKind, startsAt: Date, opts: { isDemo?: boolean } = {}) {
  return createMeeting(db, actor, { kind, title: `Test ${kind} meeting`, startsAt: instantToLondon(startsAt), endsAt: instantToLondon(new Date(startsAt.getTime() + 7_200_000)), location: 'Corby Cube' }, opts);
}
