import { asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { sha256Hex } from '../../lib/hash.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { wardNamesByIds } from '../tenancy/views.ts';
import { resCategories, resProviders, resServiceSchedules, resServiceWards, resServices, resSpend, type ResCategory, type ResProvider, type ResService } from './schema.ts';

/**
 * Open Referral UK (HSDS 3.0 UK profile) export of a tenant's service directory, read from the
 * resource audit's tables: providers → organization, services → service, venue → location +
 * service_at_location, schedule rows → schedule, wards → service_area, categories → taxonomy +
 * taxonomy_term (and the service's attribute), public contact → contact, spend funding sources →
 * funding. Field names as in the profile. Only public, organisational data: never a person.
 * Ids of records we hold are our UUIDs; records made up from several columns (a location, a
 * service area) get a stable UUID derived from the tenant, the kind and what they stand for.
 */

type Json = Record<string, unknown>;

export const ORUK_DEMO_NOTE = '[Demo record: made up for the demonstration, not a real service.]';

/** A stable name-based UUID (SHA-256, version 8 layout) for a record we make up from columns. */
export function derivedId(...parts: string[]): string {
  const h = sha256Hex(parts.join('\u0000'));
  const variant = ((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const STATUS: Record<ResService['status'], string> = { active: 'active', planned: 'inactive', decommissioned: 'defunct' };
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();
const uri = (v: string | null | undefined): string | undefined => {
  if (!v) return undefined;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
};
const email = (v: string | null | undefined) => (v && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? v : undefined);
/** Drop undefined members (the profile has no nulls for absent optional fields). */
function clean<T extends Json>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export const ONS_WARD_URI = 'http://statistics.data.gov.uk/id/statistical-geography/';

export interface OrukDirectory {
  taxonomy: Json;
  terms: Json[];
  organizations: Json[];
  services: Json[];
}

function organizationOf(p: ResProvider): Json {
  return clean({ id: p.id, name: p.name, description: p.description + (p.isDemo ? (p.description ? ' ' : '') + ORUK_DEMO_NOTE : ''), email: email(p.email), website: uri(p.website) });
}

/** The whole directory of a tenant (every provider and service, active or not), in a fixed order. */
export async function orukDirectory(db: Executor, tenant: Pick<Tenant, 'id' | 'name'>): Promise<OrukDirectory> {
  const tenantId = tenant.id;
  const [providers, services, categories, schedules, wardLinks, spend] = await Promise.all([
    db.select().from(resProviders).where(eq(resProviders.tenantId, tenantId)).orderBy(asc(resProviders.name), asc(resProviders.id)),
    db.select().from(resServices).where(eq(resServices.tenantId, tenantId)).orderBy(asc(resServices.name), asc(resServices.id)),
    db.select().from(resCategories).where(eq(resCategories.tenantId, tenantId)).orderBy(asc(resCategories.sortOrder), asc(resCategories.key)),
    db.select().from(resServiceSchedules).where(eq(resServiceSchedules.tenantId, tenantId)).orderBy(asc(resServiceSchedules.weekday), asc(resServiceSchedules.opensAt), asc(resServiceSchedules.id)),
    db.select().from(resServiceWards).where(eq(resServiceWards.tenantId, tenantId)),
    db.selectDistinct({ serviceId: resSpend.serviceId, source: resSpend.fundingSource }).from(resSpend).where(eq(resSpend.tenantId, tenantId)),
  ]);
  const wards = new Map((await wardNamesByIds(db, tenantId, [...new Set(wardLinks.map((w) => w.wardId))])).map((w) => [w.id, w]));
  const taxonomyId = derivedId(tenantId, 'taxonomy');
  const taxonomy = { id: taxonomyId, name: `${tenant.name}: service categories`, description: 'The categories of early-years services used in this mutual’s resource audit.' };
  const termOf = (c: ResCategory): Json => clean({ id: c.id, name: c.title, description: c.title, taxonomy_id: taxonomyId, term: c.key });
  const terms = categories.map(termOf);
  const catById = new Map(categories.map((c) => [c.id, c]));
  const provById = new Map(providers.map((p) => [p.id, p]));
  const services_ = services.map((s) => serviceOf(s, { provider: provById.get(s.providerId), category: catById.get(s.categoryId), termOf, schedules: schedules.filter((x) => x.serviceId === s.id), wards: wardLinks.filter((w) => w.serviceId === s.id).map((w) => wards.get(w.wardId)).filter((w) => !!w), funding: spend.filter((f) => f.serviceId === s.id && f.source.trim()).map((f) => f.source.trim()).sort(), tenantId }));
  const organizations = providers.map((p) => ({ ...organizationOf(p), services: services_.filter((s) => s.organization_id === p.id).map(({ organization: _o, ...rest }) => rest) }));
  return { taxonomy, terms, organizations, services: services_ };
}

interface ServiceParts {
  provider: ResProvider | undefined;
  category: ResCategory | undefined;
  termOf: (c: ResCategory) => Json;
  schedules: Array<typeof resServiceSchedules.$inferSelect>;
  wards: Array<{ id: string; code: string; name: string }>;
  funding: string[];
  tenantId: string;
}

function scheduleOf(s: ServiceParts['schedules'][number], serviceId: string): Json {
  const freq = s.frequency === 'weekly' || s.frequency === 'fortnightly' ? 'WEEKLY' : s.frequency === 'monthly' ? 'MONTHLY' : undefined;
  const notes = [s.termTimeOnly ? 'Term time only.' : '', s.frequency === 'termly' ? 'Once a term.' : '', s.frequency === 'on_demand' ? 'By arrangement.' : ''].filter(Boolean).join(' ');
  return clean({
    id: s.id,
    service_id: serviceId,
    freq,
    interval: s.frequency === 'fortnightly' ? 2 : freq ? 1 : undefined,
    byday: DAYS[s.weekday - 1],
    opens_at: s.opensAt,
    closes_at: s.closesAt,
    description: `${DAYS[s.weekday - 1]} ${s.opensAt}–${s.closesAt} (UK time)${notes ? ` ${notes}` : ''}`,
    attending_type: 'in person',
    notes: notes || undefined,
  });
}

function serviceOf(s: ResService, parts: ServiceParts): Json & { organization_id: string } {
  const venue = s.venueName.trim() || s.venueAddress.trim();
  const locationId = derivedId(parts.tenantId, 'location', s.id);
  const term = parts.category ? parts.termOf(parts.category) : undefined;
  const phone = s.phone ?? parts.provider?.phone ?? null;
  const mail = email(s.email) ?? email(parts.provider?.email);
  return clean({
    id: s.id,
    organization_id: s.providerId,
    name: s.name,
    description: [s.description, s.targetGroup ? `For: ${s.targetGroup}.` : '', s.isDemo ? ORUK_DEMO_NOTE : ''].filter(Boolean).join(' '),
    url: uri(s.url),
    email: email(s.email),
    status: STATUS[s.status],
    last_modified: iso(s.updatedAt),
    schedules: parts.schedules.map((x) => scheduleOf(x, s.id)),
    service_areas: parts.wards
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((w) => ({ id: derivedId(parts.tenantId, 'service_area', s.id, w.code), service_id: s.id, name: w.name, uri: `${ONS_WARD_URI}${w.code}` })),
    service_at_locations: venue
      ? [
          {
            id: derivedId(parts.tenantId, 'service_at_location', s.id),
            service_id: s.id,
            location_id: locationId,
            location: clean({
              id: locationId,
              location_type: 'physical',
              name: s.venueName.trim() || s.venueAddress.trim(),
              addresses: s.venueAddress.trim()
                ? [{ id: derivedId(parts.tenantId, 'address', s.id), location_id: locationId, address_1: s.venueAddress.trim(), city: '', state_province: '', postal_code: s.venuePostcode ?? '', country: 'GB', address_type: 'physical' }]
                : [],
            }),
          },
        ]
      : [],
    organization: parts.provider ? organizationOf(parts.provider) : undefined,
    funding: parts.funding.map((source) => ({ id: derivedId(parts.tenantId, 'funding', s.id, source), service_id: s.id, source })),
    cost_options: [],
    // The service's public enquiries line (never a person): the UK profile's contact has no phone
    // or email of its own, so the number goes in the contact's title.
    contacts:
      phone || mail
        ? [clean({ id: derivedId(parts.tenantId, 'contact', s.id), service_id: s.id, name: 'Enquiries', title: [phone ? `Telephone ${phone}` : '', mail ? `Email ${mail}` : ''].filter(Boolean).join('; ') })]
        : [],
    attributes: term ? [{ id: derivedId(parts.tenantId, 'attribute', s.id, String(term.id)), link_id: s.id, taxonomy_term_id: term.id, link_type: 'service', taxonomy_term: term }] : [],
  }) as Json & { organization_id: string };
}

/** One page of a list in the profile's paging shape. */
export function page<T>(all: T[], pageNumber: number, perPage: number) {
  const size = Math.max(1, Math.min(200, perPage));
  const totalPages = Math.max(1, Math.ceil(all.length / size));
  const n = Math.max(1, pageNumber);
  const contents = all.slice((n - 1) * size, n * size);
  return { total_items: all.length, total_pages: totalPages, page_number: n, size, first_page: n === 1, last_page: n >= totalPages, empty: contents.length === 0, contents };
}

/** A service as the paged list shows it (no nested tables but the organization). */
export function serviceListItem(s: Json): Json {
  const keep = ['id', 'organization_id', 'name', 'description', 'url', 'email', 'status', 'last_modified', 'organization'];
  return Object.fromEntries(Object.entries(s).filter(([k]) => keep.includes(k)));
}

export function organizationListItem(o: Json): Json {
  const keep = ['id', 'name', 'description', 'email', 'website'];
  return Object.fromEntries(Object.entries(o).filter(([k]) => keep.includes(k)));
}

