/**
 * `parent-mutual demo load|clear`: each module's demo part, loaded in order and cleared in reverse.
 * A module adds its demo data by adding a part here (issue 8 turns this list into the manifests).
 */
import type { Db } from '../db/connection.ts';
import { clearMembershipDemo, loadMembershipDemo } from '../modules/membership/demo.ts';
import type { Tenant } from '../modules/tenancy/schema.ts';
import { areaOverview, pickWardSet, wardsOf } from '../modules/tenancy/views.ts';

export interface DemoContext {
  db: Db;
  tenant: Tenant;
  today: Date;
}

export interface DemoPart {
  /** What the part adds, for the command's report ("members"). */
  name: string;
  load(ctx: DemoContext): Promise<number>;
  clear(ctx: DemoContext): Promise<number>;
}

export const DEMO_PARTS: readonly DemoPart[] = [
  {
    name: 'members',
    async load({ db, tenant, today }) {
      const overview = await areaOverview(db, tenant);
      if (!overview.currentSet) return 0;
      const wards = await wardsOf(db, tenant, pickWardSet(overview, undefined));
      return (await loadMembershipDemo(db, tenant.id, wards, today)).members;
    },
    async clear({ db, tenant }) {
      return (await clearMembershipDemo(db, tenant.id)).members;
    },
  },
];

export async function loadDemo(ctx: DemoContext): Promise<Array<{ name: string; added: number }>> {
  const report: Array<{ name: string; added: number }> = [];
  for (const part of DEMO_PARTS) report.push({ name: part.name, added: await part.load(ctx) });
  return report;
}

export async function clearDemo(ctx: DemoContext): Promise<Array<{ name: string; removed: number }>> {
  const report: Array<{ name: string; removed: number }> = [];
  for (const part of [...DEMO_PARTS].reverse()) report.push({ name: part.name, removed: await part.clear(ctx) });
  return report;
}
