import type { Role } from '../membership/schema.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { electionsDemo } from './demo.ts';
import { electionsEn, electionsPl } from './i18n.ts';
import { electionsJobs } from './jobs.ts';
import { registerElectionPages } from './pages.tsx';
import { electionsPersonalData } from './personal-data.ts';
import { electionsData } from './privacy.ts';
import * as schema from './schema.ts';

type ElectionsPermission = 'elections.manage';

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<ElectionsPermission, true> {}
}

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof electionsEn, string> {}
}

const permissions = {
  /** Create elections, check and close nominations, count, publish. */
  'elections.manage': ['board', 'admin'],
} as const satisfies Record<ElectionsPermission, readonly Role[]>;

/** Board elections by single transferable vote (Scottish rules): nominations, a secret ranked ballot, the count and the result sheet. */
export const electionsModule = {
  name: 'elections',
  pages: (pages) => registerElectionPages(pages),
  messages: messages(electionsEn, electionsPl),
  nav: [{ href: '/elections', key: 'elec.nav.elections', access: 'signed-in', order: 66 }],
  permissions,
  data: dataOf(schema, electionsData),
  personalData: electionsPersonalData,
  jobs: electionsJobs,
  demo: electionsDemo,
} satisfies ModuleManifest;
