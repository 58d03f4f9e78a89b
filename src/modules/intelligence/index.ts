import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import type { Role } from '../membership/schema.ts';
import { areaOverview, pickWardSet, wardsOf } from '../tenancy/views.ts';
import { clearIntelDemo, loadIntelDemo } from './demo.ts';
import { intelFieldEn, intelFieldPl } from './i18n-field.ts';
import { needsEn, needsPl } from './i18n-needs.ts';
import { offlineEn, offlinePl } from './i18n-offline.ts';
import { needsPermissions } from './needs-permissions.ts';
import { registerConcernPages } from './pages-concerns.tsx';
import { registerNeedsPages } from './pages-needs.tsx';
import { registerOfflinePages } from './pages-offline.tsx';
import { registerReportPages } from './pages-report.tsx';
import { registerTriagePages } from './pages-triage.tsx';
import { intelligencePersonalData } from './personal-data.ts';
import { intelligenceData } from './privacy.ts';
import { registerIntelFieldApi } from './routes.ts';
import * as schema from './schema.ts';
import { seedIntelligence } from './seed.ts';
import { stripOldText } from './triage.ts';

// Each helper adds its parts as one or two lines: catalogues spread, pages and API registered in turn.
const intelEn = { ...intelFieldEn, ...needsEn, ...offlineEn };
const intelPl: Record<keyof typeof intelEn, string> = { ...intelFieldPl, ...needsPl, ...offlinePl };

type IntelPermission = 'intel.file' | 'intel.manage' | 'intel.triage' | 'safeguarding.read' | keyof typeof needsPermissions;

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<IntelPermission, true> {}
}

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof intelEn, string> {}
}

const permissions = {
  /** File reports and raise safeguarding concerns (the phone's API too). */
  'intel.file': ['street_champion', 'coordinator'],
  /** The taxonomy and the settings (front door, retention). */
  'intel.manage': ['coordinator', 'admin'],
  /** The inbox: statuses, notes, merging, links, phones' sync status. */
  'intel.triage': ['coordinator', 'admin'],
  /** Safeguarding concerns: safeguarding leads only (SECURITY.md 19). */
  'safeguarding.read': ['safeguarding_lead'],
  ...needsPermissions,
} as const satisfies Record<IntelPermission, readonly Role[]>;

/** Street champions' intelligence: reports from the field, triage, the needs picture; safeguarding concerns kept apart. */
export const intelligenceModule = {
  name: 'intelligence',
  pages(pages, deps) {
    registerOfflinePages(pages, deps); // /sw.js, /manifest.webmanifest
    registerReportPages(pages);
    registerConcernPages(pages);
    registerTriagePages(pages);
    registerNeedsPages(pages);
  },
  api(api) {
    registerIntelFieldApi(api);
  },
  messages: messages(intelEn, intelPl),
  nav: [
    { href: '/intelligence/report', key: 'intel.field.nav.report', access: 'intel.file', order: 40 },
    { href: '/coordinator/intelligence', key: 'intel.field.nav.inbox', access: 'intel.triage', order: 52 },
    { href: '/safeguarding/concerns', key: 'intel.field.nav.concerns', access: 'safeguarding.read', order: 54 },
    { href: '/needs', key: 'intel.needs.nav', access: 'public', order: 35 },
  ],
  permissions,
  data: dataOf(schema, intelligenceData),
  personalData: intelligencePersonalData,
  seedTenant: (tx, tenantId) => seedIntelligence(tx, tenantId),
  jobs: [{ name: 'intelligence text retention', run: (deps, now) => stripOldText(deps.database.db, now) }],
  demo: {
    name: 'intelligence reports',
    async load({ db, tenant, today }) {
      const overview = await areaOverview(db, tenant);
      if (!overview.currentSet) return 0;
      return loadIntelDemo(db, tenant.id, await wardsOf(db, tenant, pickWardSet(overview, undefined)), today);
    },
    clear: ({ db, tenant }) => clearIntelDemo(db, tenant.id),
  },
} satisfies ModuleManifest;
