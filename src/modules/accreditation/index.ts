import type { Role } from '../membership/schema.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { accreditationDemo } from './demo.ts';
import { accreditationEn, accreditationPl } from './i18n.ts';
import { sendExpiryNotices } from './notices.ts';
import { registerCoordinatorPages } from './pages-coordinator.tsx';
import { registerMeDocuments, renderMePanel } from './pages-me.tsx';
import { registerPublicPages } from './pages-public.tsx';
import { accreditationPersonalData } from './personal-data.ts';
import { accreditationData } from './privacy.ts';
import * as schema from './schema.ts';
import { seedAccreditation } from './seed.ts';

type AccreditationPermission = 'accreditation.manage';

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<AccreditationPermission, true> {}
}

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof accreditationEn, string> {}
}

const permissions = {
  /** Qualification kinds and their course links, manual awards, revocation, every award's documents. */
  'accreditation.manage': ['coordinator', 'admin'],
} as const satisfies Record<AccreditationPermission, readonly Role[]>;

/** Qualification kinds, awards (with renewals), certificates, the public check page and expiry notices. */
export const accreditationModule = {
  name: 'accreditation',
  pages(pages) {
    registerPublicPages(pages);
    registerMeDocuments(pages);
    registerCoordinatorPages(pages);
  },
  messages: messages(accreditationEn, accreditationPl),
  nav: [{ href: '/coordinator/accreditation', key: 'accreditation.nav', access: 'accreditation.manage', order: 52 }],
  footer: [{ href: '/certificates/check', key: 'accreditation.footer.check', order: 20 }],
  permissions,
  data: dataOf(schema, accreditationData),
  personalData: accreditationPersonalData,
  jobs: [{ name: 'accreditation.expiry-notices', run: (deps, now) => sendExpiryNotices(deps, now) }],
  seedTenant: seedAccreditation,
  mePanel: { order: 20, render: renderMePanel },
  demo: accreditationDemo,
} satisfies ModuleManifest;
