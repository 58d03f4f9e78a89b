/**
 * Membership's part of `parent-mutual demo load`: a labelled, made-up membership spread over every
 * ward of the current ward set, with ward representatives (one ward left without one, so the
 * coverage view shows a gap), a few coordinators, volunteers and street champions.
 *
 * Every demo member has `is_demo` set (pages show a "Demo" label), an address at the reserved
 * `.invalid` domain (RFC 2606: mail to it can never reach a person) and a number from Ofcom's drama
 * range (07700 900000–900999, never allocated). `clearMembershipDemo` removes exactly those rows.
 */
import { isoDate } from '../../lib/dates.ts';
import { and, count, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { appendAudit } from '../audit/service.ts';
import type { WardSummary } from '../tenancy/views.ts';
import type { Locale } from '../../ui/i18n/locales.ts';
import { PRIVACY_NOTICE_VERSION } from './service.ts';
import { memberCounters, memberRoles, members, memberStatusHistory, wardRepresentatives, RELATIONSHIPS, type MemberStatus, type Relationship, type Role } from './schema.ts';

export const DEMO_ACTOR = 'system:demo';
export const DEMO_EMAIL_DOMAIN = 'demo.invalid';

// Names as they are heard in Corby: Scottish and English families, and the Polish, Lithuanian and
// Romanian communities.
const FIRST = ['Aileen', 'Agnieszka', 'Callum', 'Dorota', 'Eilidh', 'Fraser', 'Gintarė', 'Hamish', 'Iona', 'Jakub', 'Kirsty', 'Łukasz', 'Morag', 'Małgorzata', 'Niamh', 'Oliwia', 'Paulina', 'Rory', 'Shona', 'Tomasz', 'Ewa', 'Andrei', 'Ioana', 'Lewis', 'Zofia', 'Jamie', 'Rūta', 'Kacper', 'Nicola', 'Stuart'];
const LAST = ['Campbell', 'Kowalska', 'MacDonald', 'Nowak', 'Stewart', 'Wiśniewska', 'Robertson', 'Kłos', 'Thomson', 'Zielińska', 'Murray', 'Kazlauskas', 'Reid', 'Popescu', 'Paterson', 'Lewandowska', 'Fraser', 'Wójcik', 'Hughes', 'Grant'];
// Weighted draw: mostly parents (four in seven), every relationship present.
const RELATIONSHIP_DRAW: Relationship[] = ['parent', 'parent', 'parent', ...RELATIONSHIPS];

/** A small deterministic generator (mulberry32), so every demo load makes the same mutual. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoMember {
  name: string;
  email: string | null;
  phone: string | null;
  wardId: string;
  relationship: Relationship;
  childrenUnder5: number;
  preferredLocale: Locale;
  status: MemberStatus;
  roles: Role[];
  repOf?: string;
}

/**
 * The demo membership for a ward set: members per ward in proportion to its children under 5
 * (between 6 and 30), a representative in every ward but the last, three coordinators.
 */
export function planDemoMembers(wardList: readonly Pick<WardSummary, 'id' | 'childrenUnder5'>[], seed = 2026): DemoMember[] {
  const random = generator(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const out: DemoMember[] = [];
  wardList.forEach((ward, w) => {
    const n = Math.max(6, Math.min(30, Math.round((ward.childrenUnder5 ?? 150) / 25)));
    for (let i = 0; i < n; i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      const k = out.length + 1;
      const polish = /[łńśźżąęó]/i.test(first + last) || ['Nowak', 'Wójcik', 'Agnieszka', 'Dorota', 'Jakub', 'Oliwia', 'Paulina', 'Tomasz', 'Ewa', 'Zofia', 'Kacper'].some((x) => x === first || x === last);
      const contact = random();
      const roll = random();
      out.push({
        name: `${first} ${last}`,
        // Some members joined with a phone only, as many do at a stay-and-play session.
        email: contact < 0.85 ? `${ascii(first)}.${ascii(last)}.${k}@${DEMO_EMAIL_DOMAIN}` : null,
        phone: contact > 0.6 ? `+447700900${String(k % 1000).padStart(3, '0')}` : null,
        wardId: ward.id,
        relationship: pick(RELATIONSHIP_DRAW),
        childrenUnder5: Math.floor(random() * 3) + (roll < 0.8 ? 1 : 0),
        preferredLocale: polish && random() < 0.7 ? 'pl' : 'en',
        status: roll < 0.82 ? 'active' : roll < 0.93 ? 'pending' : 'lapsed',
        roles: ['member'],
      });
    }
    // A representative in every ward but the last one: the coverage view then shows a gap to fill.
    if (w < wardList.length - 1) {
      const rep = out.find((m) => m.wardId === ward.id && m.status === 'active');
      if (rep) {
        rep.repOf = ward.id;
        rep.roles.push('ward_rep');
      }
    }
  });
  const active = out.filter((m) => m.status === 'active' && !m.repOf);
  active.slice(0, 3).forEach((m) => m.roles.push('coordinator'));
  active.slice(3, 15).forEach((m) => m.roles.push('volunteer'));
  active.slice(15, 21).forEach((m) => m.roles.push('volunteer', 'street_champion'));
  return out;
}

function ascii(s: string): string {
  return s
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

export async function hasMembershipDemo(db: Executor, tenantId: string): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(members).where(and(eq(members.tenantId, tenantId), eq(members.isDemo, true)));
  return (row?.n ?? 0) > 0;
}

/** Load the demo membership once (a second load changes nothing). Returns how many members it added. */
export async function loadMembershipDemo(db: Db, tenantId: string, wardList: readonly WardSummary[], today = new Date()): Promise<{ members: number }> {
  if (wardList.length === 0) return { members: 0 };
  return db.transaction(async (tx) => {
    // Serialise concurrent loads on the counter row, then check again inside the lock.
    const [counter] = await tx
      .insert(memberCounters)
      .values({ tenantId, last: 0 })
      .onConflictDoUpdate({ target: memberCounters.tenantId, set: { last: sql`${memberCounters.last}` } })
      .returning({ last: memberCounters.last });
    if (await hasMembershipDemo(tx, tenantId)) return { members: 0 };
    const plan = planDemoMembers(wardList);
    const first = (counter?.last ?? 0) + 1;
    await tx.update(memberCounters).set({ last: first + plan.length - 1 }).where(eq(memberCounters.tenantId, tenantId));
    const startsOn = isoDate(new Date(today.getTime() - 120 * 86_400_000));
    const rows = plan.map((m, i) => ({ ...m, id: newId(), memberNumber: first + i }));
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await tx.insert(members).values(
        chunk.map((m) => ({
          tenantId,
          id: m.id,
          memberNumber: m.memberNumber,
          name: m.name,
          email: m.email,
          emailVerifiedAt: m.email && m.status !== 'pending' ? today : null,
          phone: m.phone,
          wardId: m.wardId,
          relationship: m.relationship,
          childrenUnder5: m.childrenUnder5,
          preferredLocale: m.preferredLocale,
          consentVersion: PRIVACY_NOTICE_VERSION,
          consentedAt: today,
          status: m.status,
          isDemo: true,
        })),
      );
      await tx.insert(memberRoles).values(chunk.flatMap((m) => m.roles.map((role) => ({ tenantId, memberId: m.id, role, grantedBy: DEMO_ACTOR }))));
      await tx.insert(memberStatusHistory).values(chunk.map((m) => ({ tenantId, id: newId(), memberId: m.id, status: m.status, changedBy: DEMO_ACTOR, reason: 'demo data' })));
      const reps = chunk.filter((m) => m.repOf);
      if (reps.length) {
        await tx.insert(wardRepresentatives).values(reps.map((m) => ({ tenantId, id: newId(), memberId: m.id, wardId: m.repOf as string, startsOn, appointedBy: DEMO_ACTOR })));
      }
    }
    await appendAudit(tx, { tenantId, actor: DEMO_ACTOR, action: 'demo.load', entity: 'tenant', entityId: tenantId, data: { members: rows.length } });
    return { members: rows.length };
  });
}

/** Remove every demo member (their roles, history, representation, sessions and tokens go with them) and nothing else. */
export async function clearMembershipDemo(db: Db, tenantId: string): Promise<{ members: number }> {
  return db.transaction(async (tx) => {
    const removed = await tx.delete(members).where(and(eq(members.tenantId, tenantId), eq(members.isDemo, true))).returning({ id: members.id });
    if (removed.length) await appendAudit(tx, { tenantId, actor: DEMO_ACTOR, action: 'demo.clear', entity: 'tenant', entityId: tenantId, data: { members: removed.length } });
    return { members: removed.length };
  });
}
