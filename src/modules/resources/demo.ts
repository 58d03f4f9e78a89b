/**
 * The resource audit's demo (issue 11 item 8): Corby-like providers (three children's centres,
 * Home-Start, health visiting, two schools, community safety, two voluntary groups; no real staff)
 * and 40 services across categories and tiers, with a year of spend, sessions and reach by ward
 * (the last full financial year, April–March, by quarter) on the tenant's own wards, and contacts
 * (pseudonymous keys) for a few services. It holds one real duplication (Lodge Park's and
 * Home-Start's Tuesday stay and play, same wards) and two marginal-impact candidates (the dads'
 * breakfast club and the safety workshops: under 2 families per £1,000, weak evidence).
 *
 * The same rows are the demo spreadsheet (`/resources/import/demo.xlsx`, the template format), and
 * `demo load` imports exactly those sheets, so importing the spreadsheet into an empty tenant gives
 * the same figures. Every row is marked demo; clear removes exactly those.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/connection.ts';
import { addDays, addMonths, isoDate } from '../../lib/dates.ts';
import type { DemoContext, DemoPart } from '../../server/demo.ts';
import { familyKey } from './family-keys.ts';
import type { Cell, Sheet } from './import-files.ts';
import { IMPORT_COLUMNS, importSheets, type ImportKind } from './import.ts';
import { penceToPounds } from './import-rules.ts';
import { getSettings, tenantWards, type WardRef } from './queries.ts';
import { resProviders, resServices } from './schema.ts';
import { seedResources } from './service.ts';

/** The last full financial year (1 April – 31 March) before `today`, and its four quarters. */
export function lastFinancialYear(today: string): { start: string; end: string; quarters: Array<{ start: string; end: string }> } {
  const y = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const startYear = month >= 4 ? y - 1 : y - 2;
  const start = `${startYear}-04-01`;
  const quarters = [0, 3, 6, 9].map((m) => {
    const s = addMonths(start, m);
    return { start: s, end: addDays(addMonths(s, 3), -1) };
  });
  return { start, end: `${startYear + 1}-03-31`, quarters };
}

const PROVIDERS = [
  ['DEMO-CC-LODGE', 'Lodge Park Children’s Centre', 'childrens_centre'],
  ['DEMO-CC-BEAN', 'Beanfield Children’s Centre', 'childrens_centre'],
  ['DEMO-CC-KINGS', 'Kingswood Children’s Centre', 'childrens_centre'],
  ['DEMO-HOMESTART', 'Home-Start Corby', 'home_start'],
  ['DEMO-HV', 'Health visiting team (Corby locality)', 'health'],
  ['DEMO-SCH-OAK', 'Oakley Vale Primary School', 'school'],
  ['DEMO-SCH-DANE', 'Danesholme Infant School', 'school'],
  ['DEMO-CSP', 'Corby Community Safety Partnership', 'community_safety'],
  ['DEMO-VG-BUMPS', 'Bumps and Babies Group', 'voluntary'],
  ['DEMO-VG-DADS', 'Corby Dads’ Network', 'voluntary'],
] as const;

type Tier = 'universal' | 'targeted' | 'specialist' | 'acute';
type Evidence = 'none' | 'some' | 'good' | 'strong';

/**
 * [provider, ref, name, category, tier, evidence, schedule, ward indices, £ a year, families a year
 * (summed over quarters and wards), attendances per family].
 */
type Spec = [string, string, string, string, Tier, Evidence, string, number[], number, number, number];

// Every service reaches at least 3 families per £1,000 except the two marginal candidates, and no
// two services of one category share wards and times except the Tuesday stay and plays.
const SERVICES: Spec[] = [
  ['DEMO-CC-LODGE', 'SP-TUE', 'Stay and play (Tuesday)', 'stay-and-play', 'universal', 'some', 'Tue 09:30-11:30', [0, 1, 2], 12000, 240, 4],
  ['DEMO-HOMESTART', 'SP-TUE', 'Stay and play for little ones', 'stay-and-play', 'universal', 'some', 'Tue 10:00-12:00', [1, 2, 3], 14000, 180, 4],
  ['DEMO-CC-LODGE', 'BABY-MASSAGE', 'Baby massage', 'parenting-support', 'universal', 'good', 'Wed 10:00-11:00', [0, 1], 6000, 90, 3],
  ['DEMO-CC-LODGE', 'SALT-DROPIN', 'Chatter time (speech and language)', 'speech-and-language', 'targeted', 'good', 'Thu 13:30-15:00', [0, 1, 2], 22000, 110, 5],
  ['DEMO-CC-LODGE', 'FAMILY-SUPPORT', 'Family support worker', 'family-support', 'targeted', 'good', '', [0, 1, 2, 3], 65000, 260, 6],
  ['DEMO-CC-BEAN', 'SP-FRI', 'Stay and play (Friday)', 'stay-and-play', 'universal', 'some', 'Fri 09:30-11:30', [4, 5, 6], 11000, 220, 4],
  ['DEMO-CC-BEAN', 'INCREDIBLE-YEARS', 'Incredible Years parenting course', 'parenting-support', 'targeted', 'strong', 'Mon 18:00-20:00', [4, 5, 6, 7], 28000, 96, 10],
  ['DEMO-CC-BEAN', 'BOOKSTART', 'Bookstart rhyme time', 'early-education', 'universal', 'good', 'Wed 14:00-15:00', [4, 5], 4000, 150, 3],
  ['DEMO-CC-BEAN', 'DEBT-ADVICE', 'Money and benefits advice', 'debt-and-benefits', 'targeted', 'some', 'Tue 13:00-16:00', [4, 5, 6, 7], 15000, 120, 2],
  ['DEMO-CC-KINGS', 'SP-MON', 'Stay and play (Monday)', 'stay-and-play', 'universal', 'some', 'Mon 09:30-11:30', [8, 9, 10], 10000, 200, 4],
  ['DEMO-CC-KINGS', 'YOUNG-PARENTS', 'Young parents’ group', 'young-parents', 'targeted', 'some', 'Thu 13:00-15:00', [8, 9, 10, 11], 16000, 60, 8],
  ['DEMO-CC-KINGS', 'SEND-PLAY', 'SEND play and support', 'send-support', 'specialist', 'good', 'Sat 10:00-12:00', [8, 9, 10, 11], 30000, 90, 6],
  ['DEMO-CC-KINGS', 'EARLY-LANG', 'Early language groups', 'speech-and-language', 'targeted', 'good', 'Wed 09:30-11:00', [8, 9], 18000, 85, 5],
  ['DEMO-HOMESTART', 'HOME-VISITS', 'Volunteer home visiting', 'home-visiting', 'targeted', 'good', '', [0, 1, 2, 3, 4, 5], 48000, 170, 12],
  ['DEMO-HOMESTART', 'FAMILY-GROUP', 'Family group', 'family-support', 'targeted', 'some', 'Fri 13:00-15:00', [6, 7, 8], 9000, 70, 6],
  ['DEMO-HV', 'MANDATED-CONTACTS', 'Health visitor mandated reviews', 'health-visiting', 'universal', 'strong', '', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 420000, 2600, 5],
  ['DEMO-HV', 'BF-CAFE', 'Breastfeeding café', 'breastfeeding', 'universal', 'good', 'Thu 10:00-12:00', [0, 1, 2, 3], 8000, 140, 3],
  ['DEMO-HV', 'BF-PEER', 'Breastfeeding peer support', 'breastfeeding', 'targeted', 'good', 'Mon 13:00-14:30', [8, 9, 10, 11], 9000, 100, 4],
  ['DEMO-HV', 'PMH', 'Perinatal mental health clinic', 'perinatal-mental-health', 'specialist', 'strong', 'Wed 09:00-12:00', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 95000, 180, 6],
  ['DEMO-HV', 'WEIGH-IN', 'Baby clinic (weigh-in)', 'health-visiting', 'universal', 'good', 'Fri 09:30-11:30', [4, 5, 6, 7], 24000, 500, 4],
  ['DEMO-HV', 'SAFEGUARDING', 'Intensive health visiting (safeguarding)', 'health-visiting', 'acute', 'good', '', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 120000, 140, 14],
  ['DEMO-SCH-OAK', 'NURSERY-2YO', 'Two-year-old funded places', 'early-education', 'universal', 'strong', 'Mon 08:45-11:45', [0, 1], 85000, 60, 100],
  ['DEMO-SCH-OAK', 'TRANSITION', 'Ready for school sessions', 'early-education', 'universal', 'some', 'Thu 14:00-15:00', [0, 1, 2], 5000, 70, 3],
  ['DEMO-SCH-OAK', 'SEND-SENCO', 'SENCO early years drop-in', 'send-support', 'specialist', 'good', 'Tue 15:30-17:00', [0, 1, 2], 12000, 40, 3],
  ['DEMO-SCH-DANE', 'NURSERY-3YO', 'Nursery (30 hours)', 'early-education', 'universal', 'strong', 'Tue 08:45-15:00', [6, 7], 160000, 90, 150],
  ['DEMO-SCH-DANE', 'PARENT-CAFE', 'Parents’ café', 'parenting-support', 'universal', 'some', 'Fri 08:45-09:45', [6, 7], 3000, 80, 6],
  ['DEMO-SCH-DANE', 'PLAY-LANG', 'Talk and play', 'speech-and-language', 'targeted', 'some', 'Mon 13:00-14:00', [6, 7], 6000, 45, 6],
  ['DEMO-CSP', 'SAFETY-WORKSHOPS', 'Parents’ safety workshops', 'community-safety', 'targeted', 'some', 'Wed 18:00-19:30', [2, 3, 4], 30000, 24, 2],
  ['DEMO-CSP', 'DA-OUTREACH', 'Domestic abuse outreach', 'domestic-abuse-support', 'acute', 'good', '', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 110000, 130, 8],
  ['DEMO-CSP', 'FREEDOM', 'Freedom programme', 'domestic-abuse-support', 'specialist', 'good', 'Thu 10:00-12:00', [4, 5, 6, 7], 20000, 60, 10],
  ['DEMO-CSP', 'PARK-WATCH', 'Safer parks patrols', 'community-safety', 'universal', 'none', '', [8, 9, 10, 11], 12000, 90, 2],
  ['DEMO-VG-BUMPS', 'BUMPS', 'Bumps and babies', 'stay-and-play', 'universal', 'some', 'Wed 13:00-14:30', [2, 3, 4], 3000, 110, 4],
  ['DEMO-VG-BUMPS', 'ANTENATAL', 'Antenatal friends', 'parenting-support', 'universal', 'some', 'Sat 10:00-11:30', [0, 1, 2, 3, 4, 5], 2500, 60, 4],
  ['DEMO-VG-BUMPS', 'BF-BUDDIES', 'Breastfeeding buddies', 'breastfeeding', 'universal', 'some', 'Tue 18:30-20:00', [4, 5, 6, 7], 1500, 35, 3],
  ['DEMO-VG-BUMPS', 'NEW-MUMS-WALK', 'New parents’ walk and talk', 'perinatal-mental-health', 'universal', 'some', 'Mon 10:00-11:00', [8, 9, 10, 11], 1200, 45, 5],
  ['DEMO-VG-DADS', 'BREAKFAST', 'Dads’ breakfast club', 'family-support', 'universal', 'none', 'Sat 09:00-10:30', [5, 6, 7], 18000, 20, 5],
  ['DEMO-VG-DADS', 'DADS-PLAY', 'Dads and kids play', 'stay-and-play', 'universal', 'some', 'Sun 10:00-12:00', [8, 9, 10, 11], 4000, 70, 4],
  ['DEMO-VG-DADS', 'DADS-COURSE', 'Being a dad course', 'parenting-support', 'targeted', 'some', 'Thu 19:00-21:00', [0, 1, 2, 3], 5000, 30, 6],
  ['DEMO-CC-KINGS', 'CRISIS-SUPPORT', 'Crisis family support', 'family-support', 'acute', 'good', '', [8, 9, 10, 11], 70000, 80, 10],
  ['DEMO-CC-BEAN', 'SEND-EHCP', 'EHCP family key working', 'send-support', 'acute', 'good', '', [4, 5, 6, 7], 60000, 50, 8],
];

/** Services (by provider + service ref) whose contacts the demo includes (pseudonymous keys). */
const WITH_CONTACTS = new Set(['DEMO-CC-LODGE|SP-TUE', 'DEMO-HOMESTART|SP-TUE', 'DEMO-CC-BEAN|INCREDIBLE-YEARS', 'DEMO-VG-BUMPS|BUMPS']);

const header = (k: ImportKind) => [...IMPORT_COLUMNS[k].required, ...IMPORT_COLUMNS[k].optional];

function row(kind: ImportKind, values: Record<string, Cell>): Cell[] {
  return header(kind).map((c) => values[c] ?? '');
}

/** Split n over k parts as evenly as whole numbers allow (the first parts get the remainder). */
function split(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

/**
 * The demo spreadsheet's sheets (template format) for the tenant's wards and family-key secret.
 * Deterministic: the same tenant, secret and day give the same rows.
 */
export async function demoSheets(wards: readonly WardRef[], secret: string, today: string): Promise<Sheet[]> {
  const fy = lastFinancialYear(today);
  const pick = (i: number) => wards[i % wards.length]!;
  const services: Cell[][] = [];
  const spend: Cell[][] = [];
  const delivery: Cell[][] = [];
  const reach: Cell[][] = [];
  const contacts: Cell[][] = [];
  const providerOf = new Map<string, (typeof PROVIDERS)[number]>(PROVIDERS.map((p) => [p[0], p]));
  for (const [providerRef, serviceRef, name, category, tier, evidence, schedule, wardIdx, pounds, families, perFamily] of SERVICES) {
    const p = providerOf.get(providerRef)!;
    const serviceWards = [...new Set(wardIdx.map(pick))];
    const venue = `${p[1]}`;
    services.push(
      row('services', {
        provider_ref: providerRef,
        provider_name: p[1],
        provider_kind: p[2],
        service_ref: serviceRef,
        service_name: name,
        category_key: category,
        tier,
        target_group: tier === 'universal' ? 'Families with children under 5' : 'Families referred or identified as needing support',
        ward_codes: serviceWards.map((w) => w.code).join(';'),
        venue_name: venue,
        venue_address: 'Corby',
        schedule,
        capacity: schedule ? 20 : 0,
        evidence,
        evidence_source: evidence === 'none' ? '' : evidence === 'strong' ? 'Early Intervention Foundation guidebook' : 'Provider’s own evaluation (demo)',
        status: 'active',
        demo: 'yes',
      }),
    );
    const quarterPounds = split(pounds * 100, 4);
    const quarterFamilies = split(families, 4);
    fy.quarters.forEach((q, qi) => {
      const staff = Math.round(quarterPounds[qi]! * 0.7);
      spend.push(row('spend', { provider_ref: providerRef, service_ref: serviceRef, period_start: q.start, period_end: q.end, kind: 'staff', amount: penceToPounds(staff), funding_source: 'Council early-years grant' }));
      spend.push(row('spend', { provider_ref: providerRef, service_ref: serviceRef, period_start: q.start, period_end: q.end, kind: 'venue', amount: penceToPounds(quarterPounds[qi]! - staff), funding_source: 'Council early-years grant' }));
      delivery.push(row('delivery', { provider_ref: providerRef, service_ref: serviceRef, period_start: q.start, period_end: q.end, sessions: schedule ? 12 : Math.max(1, Math.round(quarterFamilies[qi]! / 2)) }));
      const perWard = split(quarterFamilies[qi]!, serviceWards.length);
      serviceWards.forEach((w, wi) => {
        const f = perWard[wi]!;
        if (f > 0) reach.push(row('reach', { provider_ref: providerRef, service_ref: serviceRef, period_start: q.start, period_end: q.end, ward_code: w.code, attendances: f * perFamily, families: f }));
      });
    });
    if (WITH_CONTACTS.has(`${providerRef}|${serviceRef}`)) {
      // 30 families a service; families 1–10 also use the other services (not new there).
      for (let f = 1; f <= 30; f++) {
        const ref = `DEMO-FAMILY-${providerRef === 'DEMO-HOMESTART' ? f + 20 : f}`;
        const key = await familyKey(secret, ref);
        const visits = 1 + (f % 4);
        for (let v = 0; v < visits; v++) {
          const day = addDays(fy.start, (f * 11 + v * 14) % 360);
          contacts.push(row('contacts', { provider_ref: providerRef, service_ref: serviceRef, family_key: key, date: day, ward_code: serviceWards[f % serviceWards.length]!.code }));
        }
      }
    }
  }
  const sheet = (name: ImportKind, rows: Cell[][]): Sheet => ({ name, header: header(name), rows: rows.map((cells, i) => ({ row: i + 2, cells })) });
  return [sheet('services', services), sheet('spend', spend), sheet('delivery', delivery), sheet('reach', reach), sheet('contacts', contacts)];
}

async function sheetsFor(db: Db, tenantId: string, today: Date): Promise<Sheet[] | undefined> {
  await db.transaction((tx) => seedResources(tx, tenantId));
  const wards = await tenantWards(db, tenantId);
  if (!wards.length) return undefined;
  const settings = (await getSettings(db, tenantId))!;
  return demoSheets(wards, settings.familyKeySecret, isoDate(today));
}

/** The demo spreadsheet for this tenant (XLSX, template format): `/resources/import/demo.xlsx`. */
export async function demoWorkbookSheets(db: Db, tenantId: string, today: Date): Promise<Sheet[]> {
  return (await sheetsFor(db, tenantId, today)) ?? [];
}

export async function loadResourcesDemo({ db, tenant, today }: DemoContext): Promise<number> {
  const sheets = await sheetsFor(db, tenant.id, today);
  if (!sheets) return 0;
  const report = await importSheets(db, { tenantId: tenant.id, actor: 'system:demo', editable: 'all' }, sheets, { fileName: 'demo', dryRun: false });
  if (report.problems.length) throw new Error(`resources demo: ${report.problems.map((p) => `${p.sheet} row ${p.row} ${p.column}: ${p.key}`).join('; ')}`);
  return report.kinds.reduce((n, k) => n + k.added, 0);
}

/** Demo providers and services (their spend, delivery, reach, contacts, wards, schedules and staff links cascade). */
export async function clearResourcesDemo({ db, tenant }: DemoContext): Promise<number> {
  return db.transaction(async (tx) => {
    const services = await tx.delete(resServices).where(and(eq(resServices.tenantId, tenant.id), eq(resServices.isDemo, true))).returning({ id: resServices.id });
    const providers = await tx.select({ id: resProviders.id }).from(resProviders).where(and(eq(resProviders.tenantId, tenant.id), eq(resProviders.isDemo, true)));
    const ids = providers.map((p) => p.id);
    // A demo provider that a coordinator gave a real service stays.
    const kept = ids.length ? await tx.select({ p: resServices.providerId }).from(resServices).where(and(eq(resServices.tenantId, tenant.id), inArray(resServices.providerId, ids))) : [];
    const gone = ids.filter((id) => !kept.some((k) => k.p === id));
    if (gone.length) await tx.delete(resProviders).where(and(eq(resProviders.tenantId, tenant.id), inArray(resProviders.id, gone)));
    return services.length + gone.length;
  });
}

export const resourcesDemo = { name: 'resources', load: loadResourcesDemo, clear: clearResourcesDemo } satisfies DemoPart;
