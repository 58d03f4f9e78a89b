/**
 * `parent-mutual demo load|clear`: each module's demo part, loaded in order and cleared in reverse.
 * A module adds its demo data through its manifest's `demo` part (src/modules/<name>/index.ts).
 */
import type { Db } from '../db/connection.ts';
import { MODULES } from '../modules/index.ts';
import type { Tenant } from '../modules/tenancy/schema.ts';

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

/** The demo parts of every module, in the order of src/modules/index.ts (cleared in reverse). */
export function demoParts(): DemoPart[] {
  return MODULES.flatMap((m) => ('demo' in m ? [m.demo] : []));
}

export async function loadDemo(ctx: DemoContext): Promise<Array<{ name: string; added: number }>> {
  const report: Array<{ name: string; added: number }> = [];
  for (const part of demoParts()) report.push({ name: part.name, added: await part.load(ctx) });
  return report;
}

export async function clearDemo(ctx: DemoContext): Promise<Array<{ name: string; removed: number }>> {
  const report: Array<{ name: string; removed: number }> = [];
  for (const part of demoParts().reverse()) report.push({ name: part.name, removed: await part.clear(ctx) });
  return report;
}
