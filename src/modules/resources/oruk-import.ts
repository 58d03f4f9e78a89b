import { and, eq } from 'drizzle-orm';
import type { Db, Executor } from '../../db/connection.ts';
import { sha256Hex } from '../../lib/hash.ts';
import { newId } from '../../lib/ids.ts';
import { allows, requirePermission } from '../../server/access.ts';
import type { MessageKey } from '../../ui/i18n/index.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import type { Tenant } from '../tenancy/schema.ts';
import { areaOverview, wardsOf } from '../tenancy/views.ts';
import { ONS_WARD_URI } from './oruk-export.ts';
import { resCategories, resImports, resProviders, resServiceSchedules, resServiceWards, resServices, type ResService, type ScheduleFrequency, type ServiceStatus } from './schema.ts';
import { providersOfMember } from './views.ts';

/**
 * Import of an Open Referral UK file (a council family hub's export: a list of full services, a
 * page of them, a list of organizations with their services, or one record). Organizations become
 * providers and services become services, each with `ref` = its ORUK id, so the same file twice
 * changes nothing. Every problem is named by record and field, and any problem means nothing is
 * written; a dry run only reports. Partners import only into providers they are staff of.
 */

type Json = Record<string, unknown>;

export interface OrukProblem {
  /** E.g. `service 3 (id "abc")`, or `file`. */
  record: string;
  field: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

export interface OrukCounts {
  added: number;
  changed: number;
  unchanged: number;
}

export interface OrukImportReport {
  dryRun: boolean;
  organizations: OrukCounts;
  services: OrukCounts;
  problems: OrukProblem[];
  /** Parts we could not store (a schedule without times, an area that is not one of our wards): skipped, not blocking. */
  skipped: OrukProblem[];
}

const STATUS_IN: Record<string, ServiceStatus> = { active: 'active', inactive: 'planned', 'temporarily closed': 'planned', defunct: 'decommissioned' };
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
export const MAX_RECORDS = 10_000;

interface OrgIn {
  ref: string;
  name: string;
  description: string;
  email: string | null;
  website: string | null;
}
interface ScheduleIn {
  weekday: number;
  opensAt: string;
  closesAt: string;
  frequency: ScheduleFrequency;
  termTimeOnly: boolean;
}
interface TermIn {
  id: string;
  name: string;
  key: string | null;
}
interface ServiceIn {
  ref: string;
  orgRef: string;
  name: string;
  description: string;
  targetGroup: string;
  url: string | null;
  email: string | null;
  phone: string | null;
  status: ServiceStatus;
  venueName: string;
  venueAddress: string;
  venuePostcode: string | null;
  term: TermIn | null;
  schedules: ScheduleIn[];
  wardCodes: string[];
  wardNames: string[];
}

const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const opt = (v: unknown): string | null => text(v) || null;

/** Split a parsed file into organization and service records (with where each came from). */
function recordsOf(doc: unknown): { orgs: Array<{ rec: Json; label: string }>; services: Array<{ rec: Json; label: string; orgRef?: string }>; problem?: OrukProblem } {
  const orgs: Array<{ rec: Json; label: string }> = [];
  const services: Array<{ rec: Json; label: string; orgRef?: string }> = [];
  let items: unknown[];
  if (Array.isArray(doc)) items = doc;
  else if (isObj(doc) && Array.isArray(doc.contents)) items = doc.contents;
  else if (isObj(doc) && (Array.isArray(doc.services) || Array.isArray(doc.organizations)) && !('id' in doc)) items = [...(Array.isArray(doc.organizations) ? doc.organizations : []), ...(Array.isArray(doc.services) ? doc.services : [])];
  else if (isObj(doc) && 'id' in doc) items = [doc];
  else return { orgs, services, problem: { record: 'file', field: '', key: 'res.oruk.error.shape' } };
  if (items.length > MAX_RECORDS) return { orgs, services, problem: { record: 'file', field: '', key: 'res.oruk.error.tooMany', params: { max: MAX_RECORDS } } };
  items.forEach((item, i) => {
    const n = i + 1;
    if (!isObj(item)) {
      services.push({ rec: {}, label: `record ${n}` });
      return;
    }
    const idLabel = typeof item.id === 'string' ? ` (id "${item.id.slice(0, 60)}")` : '';
    const looksService = 'status' in item || 'organization_id' in item || 'organization' in item;
    if (looksService) services.push({ rec: item, label: `service ${n}${idLabel}` });
    else {
      orgs.push({ rec: item, label: `organization ${n}${idLabel}` });
      if (Array.isArray(item.services))
        item.services.forEach((s, j) => {
          const sid = isObj(s) && typeof s.id === 'string' ? ` (id "${s.id.slice(0, 60)}")` : '';
          services.push({ rec: isObj(s) ? s : {}, label: `organization ${n}, service ${j + 1}${sid}`, orgRef: typeof item.id === 'string' ? item.id : '' });
        });
    }
  });
  return { orgs, services };
}

function need(rec: Json, field: string, label: string, problems: OrukProblem[], max = 500): string {
  const v = rec[field];
  if (typeof v !== 'string' || !v.trim()) {
    problems.push({ record: label, field, key: v === undefined ? 'res.oruk.error.missing' : 'res.oruk.error.text' });
    return '';
  }
  if (v.length > max) problems.push({ record: label, field, key: 'res.oruk.error.long', params: { max } });
  return v.trim();
}

function optText(rec: Json, field: string, label: string, problems: OrukProblem[], max = 4000): string {
  const v = rec[field];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') {
    problems.push({ record: label, field, key: 'res.oruk.error.text' });
    return '';
  }
  if (v.length > max) problems.push({ record: label, field, key: 'res.oruk.error.long', params: { max } });
  return v.trim();
}

function parseOrg(rec: Json, label: string, problems: OrukProblem[]): OrgIn {
  return { ref: need(rec, 'id', label, problems, 200), name: need(rec, 'name', label, problems, 200), description: optText(rec, 'description', label, problems), email: opt(optText(rec, 'email', label, problems, 320)), website: opt(optText(rec, 'website', label, problems, 2000)) };
}

const hhmm = (v: unknown): string | null => {
  const m = /^([0-2]\d):([0-5]\d)/.exec(text(v));
  return m ? `${m[1]}:${m[2]}` : null;
};

function parseSchedules(rec: Json, label: string, problems: OrukProblem[], skipped: OrukProblem[]): ScheduleIn[] {
  const raw = rec.schedules;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push({ record: label, field: 'schedules', key: 'res.oruk.error.list' });
    return [];
  }
  const out: ScheduleIn[] = [];
  raw.forEach((s, i) => {
    const field = `schedules[${i}]`;
    if (!isObj(s)) {
      problems.push({ record: label, field, key: 'res.oruk.error.object' });
      return;
    }
    const opensAt = hhmm(s.opens_at);
    const closesAt = hhmm(s.closes_at);
    const days = text(s.byday)
      .split(',')
      .map((d) => d.trim().replace(/^-?\d+/, '').toUpperCase())
      .filter(Boolean);
    if (!opensAt || !closesAt || !days.length || opensAt >= closesAt || days.some((d) => !DAYS.includes(d))) {
      skipped.push({ record: label, field, key: 'res.oruk.skip.schedule' });
      return;
    }
    const notes = `${text(s.notes)} ${text(s.description)}`;
    const freq = text(s.freq).toUpperCase();
    const interval = typeof s.interval === 'number' ? s.interval : 1;
    const frequency: ScheduleFrequency = freq === 'WEEKLY' ? (interval === 2 ? 'fortnightly' : 'weekly') : freq === 'MONTHLY' ? 'monthly' : /once a term/i.test(notes) ? 'termly' : 'on_demand';
    for (const d of [...new Set(days)]) out.push({ weekday: DAYS.indexOf(d) + 1, opensAt, closesAt, frequency, termTimeOnly: /term time only/i.test(notes) });
  });
  return out;
}

function parseService(rec: Json, label: string, orgRef: string | undefined, problems: OrukProblem[], skipped: OrukProblem[]): ServiceIn {
  const ref = need(rec, 'id', label, problems, 200);
  const name = need(rec, 'name', label, problems, 200);
  const statusRaw = rec.status;
  const status = typeof statusRaw === 'string' ? STATUS_IN[statusRaw] : undefined;
  if (!status) problems.push({ record: label, field: 'status', key: statusRaw === undefined ? 'res.oruk.error.missing' : 'res.oruk.error.status' });
  const org = isObj(rec.organization) ? text(rec.organization.id) : '';
  const orgId = orgRef || text(rec.organization_id) || org;
  if (!orgId) problems.push({ record: label, field: 'organization_id', key: 'res.oruk.error.missing' });
  let description = optText(rec, 'description', label, problems);
  let targetGroup = '';
  const forMatch = /\s*For: ([^\n]{1,300})\.$/.exec(description.replace(/\s*\[Demo record[^\]]*\]$/, ''));
  if (forMatch) {
    targetGroup = forMatch[1] ?? '';
    description = description.replace(forMatch[0], '');
  }
  const sal = Array.isArray(rec.service_at_locations) ? rec.service_at_locations.find((x) => isObj(x) && isObj(x.location)) : undefined;
  const loc = isObj(sal) && isObj(sal.location) ? sal.location : undefined;
  const addr = loc && Array.isArray(loc.addresses) ? loc.addresses.find(isObj) : undefined;
  const attrs = Array.isArray(rec.attributes) ? rec.attributes.filter(isObj) : [];
  const termRec = attrs.map((a) => a.taxonomy_term).find(isObj);
  const term: TermIn | null = termRec && text(termRec.id) && text(termRec.name) ? { id: text(termRec.id), name: text(termRec.name).slice(0, 120), key: opt(termRec.term) } : null;
  const contacts = Array.isArray(rec.contacts) ? rec.contacts.filter(isObj) : [];
  const phone = contacts.map((c) => /Telephone ([+\d][\d ()-]{5,30}\d)/.exec(text(c.title))?.[1]).find(Boolean) ?? null;
  const areas = Array.isArray(rec.service_areas) ? rec.service_areas.filter(isObj) : [];
  const wardCodes: string[] = [];
  const wardNames: string[] = [];
  for (const a of areas) {
    const u = text(a.uri);
    if (u.startsWith(ONS_WARD_URI)) wardCodes.push(u.slice(ONS_WARD_URI.length));
    else if (text(a.name)) wardNames.push(text(a.name));
  }
  return {
    ref,
    orgRef: orgId,
    name,
    description,
    targetGroup,
    url: opt(optText(rec, 'url', label, problems, 2000)),
    email: opt(optText(rec, 'email', label, problems, 320)),
    phone,
    status: status ?? 'active',
    venueName: loc ? text(loc.name).slice(0, 200) : '',
    venueAddress: addr ? text(addr.address_1).slice(0, 500) : '',
    venuePostcode: addr ? opt(addr.postal_code) : null,
    term,
    schedules: parseSchedules(rec, label, problems, skipped),
    wardCodes,
    wardNames,
  };
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'category';

const scheduleKey = (s: ScheduleIn) => `${s.weekday}|${s.opensAt}|${s.closesAt}|${s.frequency}|${s.termTimeOnly}`;

/** Parse, check and (unless a dry run, and only without problems) apply an ORUK file. */
export async function importOruk(db: Db, actor: Actor | undefined, tenant: Tenant, file: { name: string; bytes: Uint8Array }, opts: { dryRun: boolean }): Promise<OrukImportReport> {
  requirePermission(actor, 'resources.edit', 'Your role does not allow importing services.', 'res.oruk.error.forbidden');
  const report: OrukImportReport = { dryRun: opts.dryRun, organizations: { added: 0, changed: 0, unchanged: 0 }, services: { added: 0, changed: 0, unchanged: 0 }, problems: [], skipped: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.bytes));
  } catch {
    report.problems.push({ record: 'file', field: '', key: 'res.oruk.error.json' });
    return report;
  }
  const { orgs: orgRecs, services: svcRecs, problem } = recordsOf(doc);
  if (problem) {
    report.problems.push(problem);
    return report;
  }
  const problems = report.problems;
  const orgs = orgRecs.map(({ rec, label }) => ({ label, org: parseOrg(rec, label, problems) }));
  const services = svcRecs.map(({ rec, label, orgRef }) => {
    if (!Object.keys(rec).length) problems.push({ record: label, field: '', key: 'res.oruk.error.object' });
    return { label, svc: parseService(rec, label, orgRef, problems, report.skipped), nestedOrg: isObj(rec.organization) ? parseOrg(rec.organization, `${label}, organization`, problems) : undefined };
  });
  if (!orgs.length && !services.length) problems.push({ record: 'file', field: '', key: 'res.oruk.error.empty' });
  // Organizations named only inside services count as organizations of the file too.
  const orgByRef = new Map<string, OrgIn>();
  for (const { org } of orgs) if (org.ref) orgByRef.set(org.ref, org);
  for (const { nestedOrg } of services) if (nestedOrg?.ref && !orgByRef.has(nestedOrg.ref)) orgByRef.set(nestedOrg.ref, nestedOrg);
  const seen = new Set<string>();
  for (const { label, svc } of services) {
    const k = `${svc.orgRef}|${svc.ref}`;
    if (svc.ref && seen.has(k)) problems.push({ record: label, field: 'id', key: 'res.oruk.error.duplicate' });
    seen.add(k);
  }
  const tenantId = tenant.id;
  const existingProviders = new Map((await db.select().from(resProviders).where(eq(resProviders.tenantId, tenantId))).map((p) => [p.ref, p]));
  for (const { label, svc } of services) if (svc.orgRef && !orgByRef.has(svc.orgRef) && !existingProviders.has(svc.orgRef)) problems.push({ record: label, field: 'organization_id', key: 'res.oruk.error.unknownOrg' });
  // Partners (resources.edit without resources.manage): only into providers they are staff of, never new ones.
  if (!allows('resources.manage', actor.roles)) {
    const mine = new Set(await providersOfMember(db, tenantId, actor.memberId));
    for (const ref of orgByRef.keys()) {
      const p = existingProviders.get(ref);
      if (!p || !mine.has(p.id)) problems.push({ record: `organization (id "${ref.slice(0, 60)}")`, field: 'id', key: 'res.oruk.error.notYourProvider' });
    }
  }
  if (problems.length) return report;

  const overview = await areaOverview(db, tenant);
  const wards = overview.currentSet ? await wardsOf(db, tenant, overview.currentSet) : [];
  const wardByCode = new Map(wards.map((w) => [w.code, w.id]));
  const wardByName = new Map(wards.map((w) => [w.name.toLowerCase(), w.id]));

  const apply = async (tx: Executor) => {
    const providerId = new Map<string, string>();
    for (const org of orgByRef.values()) {
      const p = existingProviders.get(org.ref);
      if (!p) {
        const id = newId();
        await tx.insert(resProviders).values({ tenantId, id, ref: org.ref, name: org.name, kind: 'other', description: org.description, website: org.website, email: org.email });
        providerId.set(org.ref, id);
        report.organizations.added += 1;
        continue;
      }
      providerId.set(org.ref, p.id);
      const same = p.name === org.name && p.description === org.description && (p.website ?? null) === org.website && (p.email ?? null) === org.email;
      if (same) report.organizations.unchanged += 1;
      else {
        await tx.update(resProviders).set({ name: org.name, description: org.description, website: org.website, email: org.email, updatedAt: new Date() }).where(and(eq(resProviders.tenantId, tenantId), eq(resProviders.id, p.id)));
        report.organizations.changed += 1;
      }
    }
    for (const [ref, p] of existingProviders) if (!providerId.has(ref)) providerId.set(ref, p.id);
    const categories = await tx.select().from(resCategories).where(eq(resCategories.tenantId, tenantId));
    const categoryFor = async (term: TermIn | null): Promise<string> => {
      const found = term
        ? categories.find((c) => c.orukTermId === term.id) ?? categories.find((c) => term.key !== null && c.key === term.key) ?? categories.find((c) => c.title.toLowerCase() === term.name.toLowerCase())
        : categories.find((c) => c.key === 'oruk-imported');
      if (found) return found.id;
      let key = term ? slug(term.key ?? term.name) : 'oruk-imported';
      for (let i = 2; categories.some((c) => c.key === key); i++) key = `${slug(term?.key ?? term?.name ?? 'oruk-imported')}-${i}`;
      const row = { tenantId, id: newId(), key, title: term ? term.name : 'Imported from Open Referral UK', titlePl: term ? null : 'Zaimportowane z Open Referral UK', orukTermId: term?.id ?? null, active: true, sortOrder: 1000, createdAt: new Date() };
      await tx.insert(resCategories).values(row);
      categories.push(row);
      return row.id;
    };
    for (const { svc } of services) {
      const provider = providerId.get(svc.orgRef);
      if (!provider) continue;
      const [existing] = await tx.select().from(resServices).where(and(eq(resServices.tenantId, tenantId), eq(resServices.providerId, provider), eq(resServices.ref, svc.ref)));
      const wardIds = [...new Set([...svc.wardCodes.map((c) => wardByCode.get(c)), ...svc.wardNames.map((n) => wardByName.get(n.toLowerCase()))].filter((x): x is string => !!x))].sort();
      const unknownAreas = svc.wardCodes.filter((c) => !wardByCode.has(c)).length + svc.wardNames.filter((n) => !wardByName.has(n.toLowerCase())).length;
      if (unknownAreas) report.skipped.push({ record: `service (id "${svc.ref.slice(0, 60)}")`, field: 'service_areas', key: 'res.oruk.skip.area', params: { n: unknownAreas } });
      const fields = { name: svc.name, description: svc.description, targetGroup: svc.targetGroup, url: svc.url, email: svc.email, phone: svc.phone, status: svc.status, venueName: svc.venueName, venueAddress: svc.venueAddress, venuePostcode: svc.venuePostcode };
      let serviceId: string;
      let changed = false;
      if (!existing) {
        serviceId = newId();
        await tx.insert(resServices).values({ tenantId, id: serviceId, providerId: provider, ref: svc.ref, categoryId: await categoryFor(svc.term), tier: 'universal', ...fields });
        report.services.added += 1;
      } else {
        serviceId = existing.id;
        const categoryId = svc.term ? await categoryFor(svc.term) : existing.categoryId;
        const differs = (Object.keys(fields) as Array<keyof typeof fields>).some((k) => (existing[k as keyof ResService] ?? null) !== (fields[k] ?? null)) || categoryId !== existing.categoryId;
        if (differs) {
          await tx.update(resServices).set({ ...fields, categoryId, updatedAt: new Date() }).where(and(eq(resServices.tenantId, tenantId), eq(resServices.id, serviceId)));
          changed = true;
        }
      }
      const oldSchedules = existing ? await tx.select().from(resServiceSchedules).where(and(eq(resServiceSchedules.tenantId, tenantId), eq(resServiceSchedules.serviceId, serviceId))) : [];
      const oldKeys = oldSchedules.map((s) => scheduleKey(s)).sort().join(';');
      const newKeys = svc.schedules.map(scheduleKey).sort().join(';');
      if (oldKeys !== newKeys) {
        await tx.delete(resServiceSchedules).where(and(eq(resServiceSchedules.tenantId, tenantId), eq(resServiceSchedules.serviceId, serviceId)));
        const uniq = [...new Map(svc.schedules.map((s) => [scheduleKey(s), s])).values()];
        if (uniq.length) await tx.insert(resServiceSchedules).values(uniq.map((s) => ({ tenantId, id: newId(), serviceId, ...s })));
        changed = true;
      }
      const oldWards = existing ? (await tx.select({ wardId: resServiceWards.wardId }).from(resServiceWards).where(and(eq(resServiceWards.tenantId, tenantId), eq(resServiceWards.serviceId, serviceId)))).map((w) => w.wardId).sort() : [];
      if (oldWards.join() !== wardIds.join()) {
        await tx.delete(resServiceWards).where(and(eq(resServiceWards.tenantId, tenantId), eq(resServiceWards.serviceId, serviceId)));
        if (wardIds.length) await tx.insert(resServiceWards).values(wardIds.map((wardId) => ({ tenantId, serviceId, wardId })));
        changed = true;
      }
      if (existing) report.services[changed ? 'changed' : 'unchanged'] += 1;
    }
    const importId = newId();
    const total = (x: OrukCounts) => x.added + x.changed + x.unchanged;
    await tx.insert(resImports).values({
      tenantId,
      id: importId,
      kind: 'openreferral',
      fileName: file.name.slice(0, 200),
      fileSha256: sha256Hex(Buffer.from(file.bytes)),
      rowsRead: total(report.organizations) + total(report.services),
      rowsAdded: report.organizations.added + report.services.added,
      rowsChanged: report.organizations.changed + report.services.changed,
      rowsUnchanged: report.organizations.unchanged + report.services.unchanged,
      importedBy: actor.memberId,
    });
    await appendAudit(tx, { tenantId, actor: actor.memberId, action: 'resources.oruk.imported', entity: 'res_import', entityId: importId, data: { organizations: report.organizations, services: report.services } });
  };

  if (opts.dryRun) {
    // Work the counts out exactly as a real run would, then roll back.
    await db
      .transaction(async (tx) => {
        await apply(tx);
        throw new DryRunDone();
      })
      .catch((err: unknown) => {
        if (!(err instanceof DryRunDone)) throw err;
      });
  } else await db.transaction(apply);
  return report;
}

class DryRunDone extends Error {}
