import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { wardNamesByIds } from '../tenancy/views.ts';
import type { Period } from './answers-period.ts';
import {
  resCategories,
  resDelivery,
  resFamilyContacts,
  resProviders,
  resReach,
  resServiceSchedules,
  resServiceWards,
  resServices,
  resSettings,
  resSpend,
  type EvidenceLevel,
  type ScheduleFrequency,
  type ServiceStatus,
  type ServiceTier,
} from './schema.ts';

/**
 * The answers' reads: plain aggregate queries over the module's tables, one per figure, on the
 * indexes of schema.ts (`res_spend_period`, `res_reach_period`, `res_family_contacts_day`). No
 * rollup table: every page reads the rows as they are, so an import shows at once and exactly.
 * A spend, delivery or reach line counts in a period when its own period lies inside it.
 */

export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export interface AnswerService {
  id: string;
  name: string;
  namePl: string | null;
  providerId: string;
  providerName: string;
  categoryId: string;
  categoryTitle: string;
  categoryTitlePl: string | null;
  categorySort: number;
  tier: ServiceTier;
  evidence: EvidenceLevel;
  status: ServiceStatus;
  isDemo: boolean;
}

/** Every service of the tenant with its provider and category. */
export async function answerServices(db: Executor, tenantId: string): Promise<AnswerService[]> {
  const rows = rowsOf<{ id: string; name: string; name_pl: string | null; provider_id: string; provider_name: string; category_id: string; category_title: string; category_title_pl: string | null; category_sort: number; tier: ServiceTier; evidence: EvidenceLevel; status: ServiceStatus; is_demo: boolean }>(
    await db.execute(sql`
      SELECT s.id, s.name, s.name_pl, s.provider_id, p.name AS provider_name, s.category_id, c.title AS category_title, c.title_pl AS category_title_pl,
             c.sort_order AS category_sort, s.tier, s.evidence, s.status, s.is_demo
        FROM ${resServices} s
        JOIN ${resProviders} p ON p.tenant_id = s.tenant_id AND p.id = s.provider_id
        JOIN ${resCategories} c ON c.tenant_id = s.tenant_id AND c.id = s.category_id
       WHERE s.tenant_id = ${tenantId}::uuid
       ORDER BY p.name, s.name, s.id`),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    namePl: r.name_pl,
    providerId: r.provider_id,
    providerName: r.provider_name,
    categoryId: r.category_id,
    categoryTitle: r.category_title,
    categoryTitlePl: r.category_title_pl,
    categorySort: Number(r.category_sort),
    tier: r.tier,
    evidence: r.evidence,
    status: r.status,
    isDemo: r.is_demo,
  }));
}

/** Spend (pence) per service in the period. */
export async function spendByService(db: Executor, tenantId: string, p: Period): Promise<Map<string, number>> {
  const rows = rowsOf<{ service_id: string; pence: string | number }>(
    await db.execute(sql`
      SELECT service_id, sum(amount_pence) AS pence FROM ${resSpend}
       WHERE tenant_id = ${tenantId}::uuid AND period_start >= ${p.start}::date AND period_start <= ${p.end}::date AND period_end <= ${p.end}::date
       GROUP BY service_id`),
  );
  return new Map(rows.map((r) => [r.service_id, Number(r.pence)]));
}

export interface Reach {
  attendances: number;
  families: number;
}

/** Attendances and families (aggregate reach) per service in the period. */
export async function reachByService(db: Executor, tenantId: string, p: Period): Promise<Map<string, Reach>> {
  const rows = rowsOf<{ service_id: string; attendances: string | number; families: string | number }>(
    await db.execute(sql`
      SELECT service_id, sum(attendances) AS attendances, sum(families) AS families FROM ${resReach}
       WHERE tenant_id = ${tenantId}::uuid AND period_start >= ${p.start}::date AND period_start <= ${p.end}::date AND period_end <= ${p.end}::date
       GROUP BY service_id`),
  );
  return new Map(rows.map((r) => [r.service_id, { attendances: Number(r.attendances), families: Number(r.families) }]));
}

/** Sessions delivered per service in the period. */
export async function sessionsByService(db: Executor, tenantId: string, p: Period): Promise<Map<string, number>> {
  const rows = rowsOf<{ service_id: string; sessions: string | number }>(
    await db.execute(sql`
      SELECT service_id, sum(sessions) AS sessions FROM ${resDelivery}
       WHERE tenant_id = ${tenantId}::uuid AND period_start >= ${p.start}::date AND period_start <= ${p.end}::date AND period_end <= ${p.end}::date
       GROUP BY service_id`),
  );
  return new Map(rows.map((r) => [r.service_id, Number(r.sessions)]));
}

/** The wards each service serves. */
export async function serviceWards(db: Executor, tenantId: string): Promise<Map<string, string[]>> {
  const rows = rowsOf<{ service_id: string; ward_id: string }>(await db.execute(sql`SELECT service_id, ward_id FROM ${resServiceWards} WHERE tenant_id = ${tenantId}::uuid ORDER BY service_id, ward_id`));
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.service_id) ?? [];
    list.push(r.ward_id);
    out.set(r.service_id, list);
  }
  return out;
}

export interface Slot {
  weekday: number;
  opensAt: string;
  closesAt: string;
  frequency: ScheduleFrequency;
  termTimeOnly: boolean;
}

/** Each service's schedule. */
export async function serviceSchedules(db: Executor, tenantId: string): Promise<Map<string, Slot[]>> {
  const rows = rowsOf<{ service_id: string; weekday: number; opens_at: string; closes_at: string; frequency: ScheduleFrequency; term_time_only: boolean }>(
    await db.execute(sql`SELECT service_id, weekday, opens_at, closes_at, frequency, term_time_only FROM ${resServiceSchedules} WHERE tenant_id = ${tenantId}::uuid ORDER BY service_id, weekday, opens_at`),
  );
  const out = new Map<string, Slot[]>();
  for (const r of rows) {
    const list = out.get(r.service_id) ?? [];
    list.push({ weekday: Number(r.weekday), opensAt: r.opens_at, closesAt: r.closes_at, frequency: r.frequency, termTimeOnly: r.term_time_only });
    out.set(r.service_id, list);
  }
  return out;
}

/** Names of wards by id (tenancy's read model). */
export async function wardNames(db: Executor, tenantId: string, ids: Iterable<string>): Promise<Map<string, { code: string; name: string }>> {
  const list = [...new Set(ids)];
  const rows = await wardNamesByIds(db, tenantId, list);
  return new Map(rows.map((w) => [w.id, { code: w.code, name: w.name }]));
}

export interface Thresholds {
  familiesPer1000: number;
  evidenceAtMost: EvidenceLevel;
}

export const DEFAULT_THRESHOLDS: Thresholds = { familiesPer1000: 2, evidenceAtMost: 'some' };

/** The marginal-impact thresholds (the schema's defaults when the tenant has no settings row yet). */
export async function thresholdsOf(db: Executor, tenantId: string): Promise<Thresholds> {
  const rows = rowsOf<{ f: number; e: EvidenceLevel }>(await db.execute(sql`SELECT marginal_families_per_1000 AS f, marginal_evidence_at_most AS e FROM ${resSettings} WHERE tenant_id = ${tenantId}::uuid`));
  const r = rows[0];
  return r ? { familiesPer1000: Number(r.f), evidenceAtMost: r.e } : DEFAULT_THRESHOLDS;
}

export interface WardFamilies {
  /** null: the provider gave no ward. */
  wardId: string | null;
  distinct: number;
  newlyEngaging: number;
  sustained: number;
}

/**
 * Families from pseudonymous contacts (METRICS.md M2, M3), per ward: distinct family keys with a
 * contact in the period; newly engaging = no contact in the 12 months before the period;
 * sustained = at least 3 contacts within some 12 weeks (84 days) of the period. A family counts
 * in the ward of its latest contact in the period, so the wards add up to the total.
 * Null when the tenant has no contacts in the period (the page then uses aggregate reach).
 */
export async function contactFamilies(db: Executor, tenantId: string, p: Period): Promise<WardFamilies[] | null> {
  const rows = rowsOf<{ ward_id: string | null; distinct_n: string | number; new_n: string | number; sustained_n: string | number }>(
    await db.execute(sql`
      WITH c AS (
        SELECT key_version, family_key, contact_on, ward_id FROM ${resFamilyContacts}
         WHERE tenant_id = ${tenantId}::uuid AND contact_on >= ${p.start}::date AND contact_on <= ${p.end}::date
      ), w AS (
        SELECT key_version, family_key,
               count(*) OVER (PARTITION BY key_version, family_key ORDER BY contact_on RANGE BETWEEN INTERVAL '83 days' PRECEDING AND CURRENT ROW) AS in12
          FROM c
      ), f AS (
        SELECT DISTINCT ON (key_version, family_key) key_version, family_key, ward_id FROM c ORDER BY key_version, family_key, contact_on DESC, ward_id NULLS LAST
      ), s AS (
        SELECT DISTINCT key_version, family_key FROM w WHERE in12 >= 3
      )
      SELECT f.ward_id, count(*) AS distinct_n,
             count(*) FILTER (WHERE NOT EXISTS (
               SELECT 1 FROM ${resFamilyContacts} b
                WHERE b.tenant_id = ${tenantId}::uuid AND b.key_version = f.key_version AND b.family_key = f.family_key
                  AND b.contact_on >= (${p.start}::date - INTERVAL '12 months')::date AND b.contact_on < ${p.start}::date)) AS new_n,
             count(s.family_key) AS sustained_n
        FROM f LEFT JOIN s ON s.key_version = f.key_version AND s.family_key = f.family_key
       GROUP BY f.ward_id`),
  );
  if (!rows.length) return null;
  return rows.map((r) => ({ wardId: r.ward_id, distinct: Number(r.distinct_n), newlyEngaging: Number(r.new_n), sustained: Number(r.sustained_n) }));
}

const inPeriod = (p: Period) => sql`period_start >= ${p.start}::date AND period_start <= ${p.end}::date AND period_end <= ${p.end}::date`;

/**
 * Spend per ward (pence, to the penny): each service's spend shared over the wards of its reach
 * in proportion to families, else equally over the wards it serves, else to no ward (null).
 * One query: the shares are exact numerics, rounded once per ward.
 */
export async function spendByWard(db: Executor, tenantId: string, p: Period): Promise<Map<string | null, number>> {
  const rows = rowsOf<{ ward_id: string | null; pence: string | number }>(
    await db.execute(sql`
      WITH s AS (
        SELECT service_id, sum(amount_pence)::numeric AS p FROM ${resSpend} WHERE tenant_id = ${tenantId}::uuid AND ${inPeriod(p)} GROUP BY service_id HAVING sum(amount_pence) > 0
      ), r AS (
        SELECT service_id, ward_id, sum(families)::numeric AS f FROM ${resReach} WHERE tenant_id = ${tenantId}::uuid AND ${inPeriod(p)} GROUP BY service_id, ward_id HAVING sum(families) > 0
      ), rt AS (
        SELECT service_id, sum(f) AS tf FROM r GROUP BY service_id
      ), w AS (
        SELECT sw.service_id, sw.ward_id, count(*) OVER (PARTITION BY sw.service_id) AS n
          FROM ${resServiceWards} sw JOIN s ON s.service_id = sw.service_id
         WHERE sw.tenant_id = ${tenantId}::uuid AND NOT EXISTS (SELECT 1 FROM rt WHERE rt.service_id = sw.service_id)
      ), shared AS (
        SELECT r.ward_id, s.p * r.f / rt.tf AS pence FROM s JOIN rt ON rt.service_id = s.service_id JOIN r ON r.service_id = s.service_id
        UNION ALL
        SELECT w.ward_id, s.p / w.n FROM s JOIN w ON w.service_id = s.service_id
        UNION ALL
        SELECT NULL::uuid, s.p FROM s WHERE NOT EXISTS (SELECT 1 FROM rt WHERE rt.service_id = s.service_id) AND NOT EXISTS (SELECT 1 FROM w WHERE w.service_id = s.service_id)
      )
      SELECT ward_id, round(sum(pence)) AS pence FROM shared GROUP BY ward_id`),
  );
  return new Map(rows.map((r) => [r.ward_id, Number(r.pence)]));
}

/** Families (aggregate reach) per ward in the period. */
export async function familiesByWard(db: Executor, tenantId: string, p: Period): Promise<Map<string, number>> {
  const rows = rowsOf<{ ward_id: string; families: string | number }>(
    await db.execute(sql`SELECT ward_id, sum(families) AS families FROM ${resReach} WHERE tenant_id = ${tenantId}::uuid AND ${inPeriod(p)} GROUP BY ward_id`),
  );
  return new Map(rows.map((r) => [r.ward_id, Number(r.families)]));
}

/** Whether any of the tenant's services is a demo record. */
export async function hasDemoServices(db: Executor, tenantId: string): Promise<boolean> {
  const rows = rowsOf<{ d: boolean }>(await db.execute(sql`SELECT EXISTS (SELECT 1 FROM ${resServices} WHERE tenant_id = ${tenantId}::uuid AND is_demo) AS d`));
  return !!rows[0]?.d;
}

/** The tenant's answers data version (`res_cache.answer_versions`, custom migration 0016: bumped by triggers on every write the answers read; 0 before any). */
export async function answersVersion(db: Executor, tenantId: string): Promise<number> {
  const rows = rowsOf<{ v: string | number }>(await db.execute(sql`SELECT version AS v FROM res_cache.answer_versions WHERE tenant_id = ${tenantId}::uuid`));
  return Number(rows[0]?.v ?? 0);
}
