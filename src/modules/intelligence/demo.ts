/**
 * Intelligence's part of `parent-mutual demo load` (labelled: every row has is_demo): a year of
 * made-up reports by the demo street champions across every ward and category, weighted so the
 * needs picture has shape, with a few cells of 1–5 reports so suppression shows; and two demo
 * safeguarding concerns (no alert is sent for them). Deterministic: the same load every time.
 */
import { and, count, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { isoDate } from '../../lib/dates.ts';
import { newId } from '../../lib/ids.ts';
import { contentHash } from './filing.ts';
import { activeMembersWithRoles } from '../membership/views.ts';
import type { WardSummary } from '../tenancy/views.ts';
import { listCategories } from './queries.ts';
import { intelReports, REPORT_SINCE, REPORT_SOURCES, REPORT_STATUSES, safeguardingConcerns } from './schema.ts';

const TEXTS: Record<string, string[]> = {
  demographics: ['More families speaking Romanian at the stay-and-play; no one there speaks it.', 'Several new Polish families on the estate since the summer, children not yet at a nursery.', 'Families arriving from Lithuania ask where to register with a doctor.'],
  'drugs-alcohol': ['Needles found near the play area twice this month.', 'Drinking on the benches by the shops every afternoon; parents avoid the path.'],
  housing: ['Damp and mould in several flats in the block; families say repairs are not done.', 'Families with three children in two-bedroom flats on this street.'],
  'road-safety': ['Cars speed past the school gate at drop-off; no crossing.', 'Parking on the pavement forces buggies into the road.'],
  'play-spaces': ['The swings on the green have been broken since spring.', 'No play area within walking distance for under-fives.'],
  isolation: ['Young mums on the estate say they know no one nearby.', 'Fathers at home with babies say there is nothing for them.'],
  'food-fuel-poverty': ['Food bank queue longer every week; families with babies among them.', 'Families say they cannot afford to heat the house this winter.'],
  'service-gaps': ['The children’s centre closed; the nearest one is two buses away.', 'Health visitor appointments are months away.'],
  other: ['Parents ask for a baby-and-toddler group in the evenings.'],
};

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

export async function hasIntelDemo(db: Db, tenantId: string): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(intelReports).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.isDemo, true)));
  return (row?.n ?? 0) > 0;
}

/** Load the demo reports and concerns once (a second load adds nothing). */
export async function loadIntelDemo(db: Db, tenantId: string, wards: readonly WardSummary[], today: Date): Promise<number> {
  if (!wards.length || (await hasIntelDemo(db, tenantId))) return 0;
  const champions = (await activeMembersWithRoles(db, tenantId)).filter((m) => m.isDemo && m.roles.includes('street_champion'));
  if (!champions.length) return 0;
  const categories = (await listCategories(db, tenantId, { activeOnly: true })).filter((c) => c.key in TEXTS);
  if (!categories.length) return 0;
  const random = generator(10);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const rows: Array<typeof intelReports.$inferInsert> = [];
  const dayMs = 86_400_000;
  // The first two wards get only a handful of reports (cells of 1–5), the others a steady flow.
  wards.forEach((ward, w) => {
    const n = w < 2 ? 3 + w : 18 + Math.floor(random() * 30);
    for (let i = 0; i < n; i++) {
      const category = w < 2 ? categories[0] : pick(categories);
      if (!category) continue;
      const ago = Math.floor(random() * 360);
      const observed = new Date(today.getTime() - ago * dayMs);
      const received = new Date(observed.getTime() + Math.floor(random() * 3) * dayMs);
      const text = pick(TEXTS[category.key] ?? ['']);
      const reporter = pick(champions);
      const clientId = `demo-${ward.code}-${i}`;
      const age = ago / 360;
      rows.push({
        tenantId,
        id: newId(),
        clientId,
        contentHash: contentHash({ demo: clientId }),
        reporterId: reporter.id,
        categoryId: category.id,
        wardId: ward.id,
        observedOn: isoDate(observed),
        observedText: text,
        familiesEstimate: random() < 0.2 ? 0 : 1 + Math.floor(random() * 40),
        since: pick(REPORT_SINCE),
        source: pick(REPORT_SOURCES),
        status: age > 0.5 ? pick(REPORT_STATUSES) : age > 0.1 ? pick(['new', 'reviewed'] as const) : 'new',
        isDemo: true,
        receivedAt: received > today ? today : received,
        updatedAt: received > today ? today : received,
      });
    }
  });
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) await tx.insert(intelReports).values(rows.slice(i, i + 500)).onConflictDoNothing();
    const champion = champions[0];
    await tx
      .insert(safeguardingConcerns)
      .values([
        { tenantId, id: newId(), clientId: 'demo-concern-1', contentHash: contentHash({ demo: 'concern-1' }), reporterId: champion?.id ?? null, wardId: wards[2]?.id ?? null, observedText: 'Demo: a made-up concern to show how a safeguarding lead sees one.', isDemo: true, receivedAt: new Date(today.getTime() - 3 * dayMs) },
        { tenantId, id: newId(), clientId: 'demo-concern-2', contentHash: contentHash({ demo: 'concern-2' }), reporterId: champion?.id ?? null, wardId: null, observedText: 'Demo: a second made-up concern, already handled.', status: 'handled', handledAt: new Date(today.getTime() - 20 * dayMs), handlingNote: 'Demo: passed to the front door the same day.', isDemo: true, receivedAt: new Date(today.getTime() - 21 * dayMs) },
      ])
      .onConflictDoNothing();
  });
  return rows.length + 2;
}

export async function clearIntelDemo(db: Db, tenantId: string): Promise<number> {
  return db.transaction(async (tx) => {
    // Links and notes cascade with their reports; a real report merged into a demo one is unmerged first.
    const demoIds = tx.select({ id: intelReports.id }).from(intelReports).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.isDemo, true)));
    await tx.update(intelReports).set({ mergedInto: null }).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.isDemo, false), inArray(intelReports.mergedInto, demoIds)));
    const reports = await tx.delete(intelReports).where(and(eq(intelReports.tenantId, tenantId), eq(intelReports.isDemo, true))).returning({ id: intelReports.id });
    const concerns = await tx.delete(safeguardingConcerns).where(and(eq(safeguardingConcerns.tenantId, tenantId), eq(safeguardingConcerns.isDemo, true))).returning({ id: safeguardingConcerns.id });
    return reports.length + concerns.length;
  });
}
