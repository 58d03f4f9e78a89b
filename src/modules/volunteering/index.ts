import { isoDate } from '../../lib/dates.ts';
import type { Role } from '../membership/schema.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { volunteeringDemo } from './demo.ts';
import { volunteeringEn, volunteeringPl } from './i18n.ts';
import { volunteeringJobs } from './jobs.ts';
import { renderVolunteeringPanel } from './me-panel.tsx';
import { registerDbsPages } from './pages-dbs.tsx';
import { registerHoursPages } from './pages-hours.tsx';
import { volunteeringPersonalData } from './personal-data.ts';
import { volunteeringData } from './privacy.ts';
import { registerVolunteeringApi } from './routes.ts';
import * as schema from './schema.ts';
import { retainDbsChecks, seedActivities } from './service.ts';

type VolunteeringPermission = 'hours.approve' | 'dbs.read' | 'dbs.manage';

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<VolunteeringPermission, true> {}
}

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof volunteeringEn, string> {}
}

/** Who may do what with hours and DBS checks (SECURITY.md 14: DBS is not an admin's by default). */
const permissions = {
  /** Approve or query volunteers' hours, see everyone's totals, edit the activities. */
  'hours.approve': ['coordinator', 'admin'],
  /** See DBS checks (every view audited). */
  'dbs.read': ['coordinator', 'safeguarding_lead'],
  /** Record and change DBS checks. */
  'dbs.manage': ['coordinator', 'safeguarding_lead'],
} as const satisfies Record<VolunteeringPermission, readonly Role[]>;

/** Volunteering hours (logged by volunteers, approved by coordinators) and DBS check records. */
export const volunteeringModule = {
  name: 'volunteering',
  pages(pages) {
    registerHoursPages(pages);
    registerDbsPages(pages);
  },
  api: (api) => registerVolunteeringApi(api),
  messages: messages(volunteeringEn, volunteeringPl),
  nav: [
    { href: '/coordinator/hours', key: 'volunteering.nav.coordHours', access: 'hours.approve', order: 52 },
    { href: '/coordinator/dbs', key: 'volunteering.nav.dbs', access: 'dbs.read', order: 53 },
    { href: '/volunteering/hours', key: 'volunteering.nav.hours', access: 'signed-in', order: 58 },
  ],
  permissions,
  data: dataOf(schema, volunteeringData),
  personalData: volunteeringPersonalData,
  // DBS records reduced six months after the recruitment decision (privacy.ts).
  retention: [{ name: 'dbs-checks', run: (db) => retainDbsChecks(db, isoDate(new Date())) }],
  jobs: volunteeringJobs,
  seedTenant: (tx, tenantId) => seedActivities(tx, tenantId),
  mePanel: { order: 40, render: renderVolunteeringPanel },
  demo: volunteeringDemo,
} satisfies ModuleManifest;
