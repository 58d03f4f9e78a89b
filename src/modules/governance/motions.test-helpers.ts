// Test helpers for motions: meetings, attendance, board terms and officers written straight into the
// module's tables (gov-core's services build them in the app), shaped as gov-core's api-board.ts
// reads them, so the tests pass with its real meetingQuorum / boardMembersOn as with the fallbacks.
import type { Db } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { testApp } from '../../test/app.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { AppError } from '../../server/errors.ts';
import { govAttendance, govMeetings, govOfficers, govSeats, govTerms, type AttendanceMode, type MeetingKind, type QuorumKind } from './schema.ts';

export const NOW = new Date('2026-11-20T12:00:00Z');
export const TODAY = '2026-11-20';

export type Person = Awaited<ReturnType<typeof buildMember>> & { actor: Actor };

export async function govSetup(opts: { board?: number; members?: number } = {}) {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db, { wards: false });
  const person = async (roles: Role[] = []): Promise<Person> => {
    const m = await buildMember(db, tenant.id, { roles });
    return { ...m, actor: { memberId: m.member.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 's' } };
  };
  const seatId = newId();
  await db.insert(govSeats).values({ tenantId: tenant.id, id: seatId, kind: 'elected_parent', label: 'Parent seat' });
  const board: Person[] = [];
  for (let i = 0; i < (opts.board ?? 5); i++) {
    const p = await person(['board']);
    await db.insert(govTerms).values({ tenantId: tenant.id, id: newId(), seatId, memberId: p.member.id, holderName: p.member.name, startsOn: '2025-06-01', endsOn: '2028-06-01' });
    board.push(p);
  }
  const members: Person[] = [];
  for (let i = 0; i < (opts.members ?? 3); i++) members.push(await person());
  return { app, deps, db, tenant, host, board, members, person };
}

export async function meeting(db: Db, tenantId: string, opts: { kind?: MeetingKind; status?: 'draft' | 'called' | 'held'; quorumKind?: QuorumKind; quorumValue?: number; entitledCount: number; chairId?: string | null; startsAt?: Date }): Promise<string> {
  const id = newId();
  const startsAt = opts.startsAt ?? new Date('2026-11-20T18:00:00Z');
  const status = opts.status ?? 'called';
  await db.insert(govMeetings).values({
    tenantId,
    id,
    kind: opts.kind ?? 'board',
    title: `Test ${opts.kind ?? 'board'} meeting`,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
    status,
    calledAt: status === 'draft' ? null : new Date('2026-11-01T09:00:00Z'),
    quorumKind: opts.quorumKind ?? 'number',
    quorumValue: opts.quorumValue ?? 3,
    entitledCount: opts.entitledCount,
    chairId: opts.chairId ?? null,
  });
  return id;
}

export async function attend(db: Db, tenantId: string, meetingId: string, memberIds: readonly string[], mode: AttendanceMode = 'in_person'): Promise<void> {
  if (memberIds.length) await db.insert(govAttendance).values(memberIds.map((memberId) => ({ tenantId, meetingId, memberId, mode })));
}

export async function officer(db: Db, tenantId: string, memberId: string, office: 'chair' | 'secretary' | 'treasurer'): Promise<void> {
  await db.insert(govOfficers).values({ tenantId, id: newId(), office, memberId, holderName: 'Officer', startsOn: '2025-06-01' });
}

export async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}
