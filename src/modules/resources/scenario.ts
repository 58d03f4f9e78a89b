import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { newId, isUuid } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError, notFound, type FieldIssue } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { periodOf, type Period } from './answers-period.ts';
import { answerServices, reachByService, spendByService, type AnswerService } from './answers-queries.ts';
import { EARLY_TIERS, resScenarioChanges, resScenarios, type ResScenario, type ServiceTier } from './schema.ts';

/**
 * Scenarios (issue 11, item 4): a named set of changes to services over a baseline period —
 * decommission (−100 %), shrink or grow (percent), or put money into a service at a stated number
 * of families per £1,000 when it has no reach yet — projected to spend, families reached and the
 * early-intervention / acute split. Saved by name, editable, compared side by side.
 */

export interface ScenarioChange {
  serviceId: string;
  changePercent: number;
  addPence: number;
  familiesPer1000: number | null;
  note: string;
}

export interface ScenarioInput {
  name: string;
  description: string;
  period: Period;
  changes: ScenarioChange[];
}

export interface Baseline {
  period: Period;
  services: Map<string, AnswerService>;
  spend: Map<string, number>;
  families: Map<string, number>;
}

export interface Projection {
  pence: number;
  families: number;
  early: { pence: number; families: number };
  acute: { pence: number; families: number };
}

export const PERCENT_MIN = -100;
export const PERCENT_MAX = 1000;
const MAX_CHANGES = 200;

export async function baselineOf(db: Executor, tenantId: string, period: Period): Promise<Baseline> {
  const [services, spend, reach] = await Promise.all([answerServices(db, tenantId), spendByService(db, tenantId, period), reachByService(db, tenantId, period)]);
  return { period, services: new Map(services.map((s) => [s.id, s])), spend, families: new Map([...reach].map(([k, r]) => [k, r.families])) };
}

const early = new Set<ServiceTier>(EARLY_TIERS);

/** The projection of changes over a baseline (no changes: the baseline itself). Pure. */
export function project(baseline: Baseline, changes: readonly ScenarioChange[]): Projection {
  const byService = new Map(changes.map((c) => [c.serviceId, c]));
  const out: Projection = { pence: 0, families: 0, early: { pence: 0, families: 0 }, acute: { pence: 0, families: 0 } };
  const ids = new Set([...baseline.spend.keys(), ...baseline.families.keys(), ...byService.keys()]);
  for (const id of ids) {
    const s = baseline.services.get(id);
    if (!s) continue;
    const pence = baseline.spend.get(id) ?? 0;
    const fam = baseline.families.get(id) ?? 0;
    const c = byService.get(id);
    const factor = c ? 1 + c.changePercent / 100 : 1;
    const add = c?.addPence ?? 0;
    const rate = c?.familiesPer1000 ?? (pence > 0 && fam > 0 ? (fam * 100_000) / pence : 0);
    const p = Math.round(pence * factor) + add;
    const f = fam * factor + (add * rate) / 100_000;
    out.pence += p;
    out.families += f;
    const side = early.has(s.tier) ? out.early : out.acute;
    side.pence += p;
    side.families += f;
  }
  return out;
}

function text(form: Record<string, unknown>, key: string): string {
  const v = form[key];
  return typeof v === 'string' ? v.trim() : '';
}

/** Reads and checks the scenario form (rows `service.N`, `percent.N`, `add.N` in pounds, `rate.N`, `note.N`). */
export async function checkScenario(db: Executor, tenantId: string, form: Record<string, unknown>, selfId?: string): Promise<ScenarioInput> {
  const issues: FieldIssue[] = [];
  const name = text(form, 'name');
  if (!name || name.length > 120) issues.push({ field: 'name', message: 'res.answers.scenario.error.name' });
  else {
    const same = await db
      .select({ id: resScenarios.id })
      .from(resScenarios)
      .where(and(eq(resScenarios.tenantId, tenantId), sql`lower(${resScenarios.name}) = lower(${name})`));
    if (same.some((r) => r.id !== selfId)) issues.push({ field: 'name', message: 'res.answers.scenario.error.nameUsed' });
  }
  const description = text(form, 'description');
  if (description.length > 2000) issues.push({ field: 'description', message: 'res.answers.scenario.error.description' });
  const period = periodOf(text(form, 'period'));
  if (!period) issues.push({ field: 'period', message: 'res.answers.error.period' });
  const baseline = period ? await baselineOf(db, tenantId, period) : undefined;
  const rows = new Set<number>();
  for (const k of Object.keys(form)) {
    const m = /^(?:service|percent|add|rate|note)\.(\d{1,3})$/.exec(k);
    if (m) rows.add(Number(m[1]));
  }
  const changes: ScenarioChange[] = [];
  const seen = new Set<string>();
  for (const i of [...rows].sort((a, b) => a - b)) {
    const serviceId = text(form, `service.${i}`);
    const pct = text(form, `percent.${i}`);
    const add = text(form, `add.${i}`).replace(/[£,\s]/g, '');
    const rate = text(form, `rate.${i}`).replace(',', '.');
    const note = text(form, `note.${i}`);
    if (!serviceId) {
      if (pct || add || rate) issues.push({ field: `service.${i}`, message: 'res.answers.scenario.error.service' });
      continue;
    }
    const service = isUuid(serviceId) ? baseline?.services.get(serviceId) : undefined;
    if (!service && baseline) {
      issues.push({ field: `service.${i}`, message: 'res.answers.scenario.error.service' });
      continue;
    }
    if (seen.has(serviceId)) issues.push({ field: `service.${i}`, message: 'res.answers.scenario.error.duplicate' });
    seen.add(serviceId);
    let changePercent = 0;
    if (pct) {
      changePercent = Number(pct);
      if (!/^[+-]?\d{1,4}$/.test(pct) || changePercent < PERCENT_MIN || changePercent > PERCENT_MAX) issues.push({ field: `percent.${i}`, message: 'res.answers.scenario.error.percent' });
    }
    let addPence = 0;
    if (add) {
      if (/^-/.test(add)) issues.push({ field: `add.${i}`, message: 'res.answers.scenario.error.moneyNegative' });
      else if (!/^\d{1,9}(\.\d{1,2})?$/.test(add)) issues.push({ field: `add.${i}`, message: 'res.answers.scenario.error.money' });
      else addPence = Math.round(Number(add) * 100);
    }
    let familiesPer1000: number | null = null;
    if (rate) {
      familiesPer1000 = Number(rate);
      if (!/^\d{1,5}(\.\d{1,2})?$/.test(rate)) issues.push({ field: `rate.${i}`, message: 'res.answers.scenario.error.rate' });
    }
    if (addPence > 0 && familiesPer1000 === null && baseline && !((baseline.spend.get(serviceId) ?? 0) > 0 && (baseline.families.get(serviceId) ?? 0) > 0))
      issues.push({ field: `rate.${i}`, message: 'res.answers.scenario.error.rateNeeded' });
    if (note.length > 500) issues.push({ field: `note.${i}`, message: 'res.answers.scenario.error.note' });
    changes.push({ serviceId, changePercent, addPence, familiesPer1000, note });
  }
  if (changes.length > MAX_CHANGES) issues.push({ field: 'name', message: 'res.answers.scenario.error.tooMany' });
  if (issues.length) throw new AppError('validation_failed', 'Check the scenario: name, period and each change.', issues, 'res.answers.scenario.error.check');
  return { name, description, period: period!, changes };
}

/** Creates (no id) or replaces a scenario (resources.plan), with an audit row. */
export async function saveScenario(db: Db, actor: Actor, form: Record<string, unknown>, id?: string): Promise<string> {
  requirePermission(actor, 'resources.plan');
  if (id) await scenarioOf(db, actor.tenantId, id);
  const input = await checkScenario(db, actor.tenantId, form, id);
  const scenarioId = id ?? newId();
  await db.transaction(async (tx) => {
    const values = { name: input.name, description: input.description, periodStart: input.period.start, periodEnd: input.period.end };
    if (id) {
      await tx.update(resScenarios).set({ ...values, updatedAt: sql`now()` }).where(and(eq(resScenarios.tenantId, actor.tenantId), eq(resScenarios.id, id)));
      await tx.delete(resScenarioChanges).where(and(eq(resScenarioChanges.tenantId, actor.tenantId), eq(resScenarioChanges.scenarioId, id)));
    } else {
      await tx.insert(resScenarios).values({ tenantId: actor.tenantId, id: scenarioId, ...values, createdBy: actor.memberId });
    }
    if (input.changes.length)
      await tx.insert(resScenarioChanges).values(input.changes.map((c) => ({ tenantId: actor.tenantId, id: newId(), scenarioId, serviceId: c.serviceId, changePercent: c.changePercent, addPence: c.addPence, familiesPer1000: c.familiesPer1000, note: c.note })));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: id ? 'resources.scenario.update' : 'resources.scenario.create', entity: 'res_scenario', entityId: scenarioId, data: { changes: input.changes.length } });
  });
  return scenarioId;
}

export async function deleteScenario(db: Db, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, 'resources.plan');
  await scenarioOf(db, actor.tenantId, id);
  await db.transaction(async (tx) => {
    await tx.delete(resScenarios).where(and(eq(resScenarios.tenantId, actor.tenantId), eq(resScenarios.id, id)));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'resources.scenario.delete', entity: 'res_scenario', entityId: id });
  });
}

export async function listScenarios(db: Executor, tenantId: string): Promise<ResScenario[]> {
  return db.select().from(resScenarios).where(eq(resScenarios.tenantId, tenantId)).orderBy(asc(resScenarios.name));
}

/** A scenario of this tenant, else 404. */
export async function scenarioOf(db: Executor, tenantId: string, id: string): Promise<ResScenario> {
  if (!isUuid(id)) throw notFound('That scenario');
  const [row] = await db.select().from(resScenarios).where(and(eq(resScenarios.tenantId, tenantId), eq(resScenarios.id, id)));
  if (!row) throw notFound('That scenario');
  return row;
}

export async function changesOf(db: Executor, tenantId: string, scenarioId: string): Promise<ScenarioChange[]> {
  const rows = await db.select().from(resScenarioChanges).where(and(eq(resScenarioChanges.tenantId, tenantId), eq(resScenarioChanges.scenarioId, scenarioId))).orderBy(asc(resScenarioChanges.id));
  return rows.map((r) => ({ serviceId: r.serviceId, changePercent: r.changePercent, addPence: Number(r.addPence), familiesPer1000: r.familiesPer1000, note: r.note }));
}

/** The period a saved scenario is projected over (a stored period that is not one of ours: its own dates). */
export function scenarioPeriod(s: ResScenario): Period {
  const y = Number(s.periodStart.slice(0, 4)) - (Number(s.periodStart.slice(5, 7)) >= 4 ? 0 : 1);
  const candidates = [periodOf(`fy${y}`), ...[1, 2, 3, 4].map((q) => periodOf(`fy${y}q${q}`))];
  return candidates.find((p) => p && p.start === s.periodStart && p.end === s.periodEnd) ?? { key: `fy${y}`, start: s.periodStart, end: s.periodEnd };
}

export interface Compared {
  label: string;
  period: Period;
  projection: Projection;
  baseline: Projection;
  isBaseline: boolean;
  id?: string;
}

/** Two or three scenarios and the baseline of each distinct period, projected. */
export async function compareScenarios(db: Executor, tenantId: string, ids: readonly string[], baselineLabel: (p: Period) => string): Promise<Compared[]> {
  const scenarios = await Promise.all(ids.map((id) => scenarioOf(db, tenantId, id)));
  const baselines = new Map<string, Baseline>();
  const out: Compared[] = [];
  for (const s of scenarios) {
    const p = scenarioPeriod(s);
    let b = baselines.get(p.key + p.start);
    if (!b) {
      b = await baselineOf(db, tenantId, p);
      baselines.set(p.key + p.start, b);
      const base = project(b, []);
      out.push({ label: baselineLabel(p), period: p, projection: base, baseline: base, isBaseline: true });
    }
    out.push({ label: s.name, period: p, projection: project(b, await changesOf(db, tenantId, s.id)), baseline: project(b, []), isBaseline: false, id: s.id });
  }
  return out;
}
