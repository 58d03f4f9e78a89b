import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { rowsOf } from './queries.ts';
import { resCategories, resProviders, resProviderStaff, resServices, type ServiceStatus, type ServiceTier } from './schema.ts';

/**
 * What other modules may read of the resource audit (a module owns its tables: others use these).
 */
export interface ServiceCard {
  id: string;
  name: string;
  namePl: string | null;
  providerId: string;
  providerName: string;
  categoryTitle: string;
  tier: ServiceTier;
  status: ServiceStatus;
  isDemo: boolean;
  /** The service's page in the audit (coordinators, partners). */
  href: string;
}

function cardQuery(db: Executor, tenantId: string) {
  return db
    .select({
      id: resServices.id,
      name: resServices.name,
      namePl: resServices.namePl,
      providerId: resServices.providerId,
      providerName: resProviders.name,
      categoryTitle: resCategories.title,
      tier: resServices.tier,
      status: resServices.status,
      isDemo: resServices.isDemo,
    })
    .from(resServices)
    .innerJoin(resProviders, and(eq(resProviders.tenantId, resServices.tenantId), eq(resProviders.id, resServices.providerId)))
    .innerJoin(resCategories, and(eq(resCategories.tenantId, resServices.tenantId), eq(resCategories.id, resServices.categoryId)))
    .where(eq(resServices.tenantId, tenantId))
    .$dynamic();
}

const withHref = <T extends { id: string }>(r: T) => ({ ...r, href: `/resources/services/${r.id}` });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every service of a tenant, for pickers (blueprints, proposals), by provider then name. */
export async function serviceCards(db: Db, tenantId: string): Promise<ServiceCard[]> {
  const rows = await cardQuery(db, tenantId).orderBy(asc(resProviders.name), asc(resServices.name), asc(resServices.id));
  return rows.map(withHref);
}

/** One service, or null when it is not this tenant's. */
export async function serviceCard(db: Db, tenantId: string, serviceId: string): Promise<ServiceCard | null> {
  if (!UUID.test(serviceId)) return null;
  const [row] = await cardQuery(db, tenantId).where(and(eq(resServices.tenantId, tenantId), eq(resServices.id, serviceId))).limit(1);
  return row ? withHref(row) : null;
}

/** The provider ids a member is staff of (partners edit only these). */
export async function providersOfMember(db: Executor, tenantId: string, memberId: string): Promise<string[]> {
  const rows = await db.select({ id: resProviderStaff.providerId }).from(resProviderStaff).where(and(eq(resProviderStaff.tenantId, tenantId), eq(resProviderStaff.memberId, memberId)));
  return rows.map((r) => r.id);
}

export interface FamilyCounts {
  /** Distinct families (keys) with at least one contact in the period (METRICS.md M2). */
  families: number;
  /** Of those, families with no contact (at any service) in the 12 months before their first contact in the period (M3). */
  newlyEngaging: number;
  /** Of those, families with 3 or more contact days within some 12 weeks inside the period (M2 "sustained"). */
  sustained: number;
}

/**
 * Family counts from the pseudonymous contacts (res_family_contacts), for the answers pages.
 * A family is a key within its key version (a rotated secret starts new keys). `wardIds` and
 * `serviceIds` narrow the contacts that count in the period; the 12-month look-back for "newly
 * engaging" spans every service of the tenant (a family known elsewhere is not new).
 */
export async function familyCounts(db: Executor, tenantId: string, opts: { start: string; end: string; wardIds?: readonly string[]; serviceIds?: readonly string[] }): Promise<FamilyCounts> {
  const none = { families: 0, newlyEngaging: 0, sustained: 0 };
  if ((opts.wardIds && !opts.wardIds.length) || (opts.serviceIds && !opts.serviceIds.length)) return none;
  const wardFilter = opts.wardIds ? sql` and ward_id in (${sql.join(opts.wardIds.map((w) => sql`${w}::uuid`), sql`, `)})` : sql``;
  const serviceFilter = opts.serviceIds ? sql` and service_id in (${sql.join(opts.serviceIds.map((w) => sql`${w}::uuid`), sql`, `)})` : sql``;
  const result = await db.execute<{ families: number | string; newly: number | string; sustained: number | string }>(sql`
    with days as (
      select distinct key_version, family_key, contact_on from res_family_contacts
      where tenant_id = ${tenantId} and contact_on >= ${opts.start}::date and contact_on <= ${opts.end}::date${wardFilter}${serviceFilter}
    ),
    fam as (
      select key_version, family_key, min(contact_on) as first_on, bool_or(lead2 is not null and lead2 - contact_on < 84) as sustained
      from (select d.*, lead(d.contact_on, 2) over (partition by d.key_version, d.family_key order by d.contact_on) as lead2 from days d) w
      group by key_version, family_key
    )
    select count(*)::int as families,
      count(*) filter (where not exists (
        select 1 from res_family_contacts p where p.tenant_id = ${tenantId} and p.key_version = fam.key_version and p.family_key = fam.family_key
          and p.contact_on < fam.first_on and p.contact_on >= (fam.first_on - interval '12 months')::date
      ))::int as newly,
      count(*) filter (where sustained)::int as sustained
    from fam`);
  const rows = rowsOf<{ families: number | string; newly: number | string; sustained: number | string }>(result);
  const r = rows[0];
  return { families: Number(r?.families ?? 0), newlyEngaging: Number(r?.newly ?? 0), sustained: Number(r?.sustained ?? 0) };
}
