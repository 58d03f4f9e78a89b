import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { registerBoardPages, renderInterestsPanel } from './board-pages.tsx';
import { governanceDemo } from './demo.ts';
import { registerDocumentPages } from './documents-pages.tsx';
import { govCoreEn, govCorePl } from './i18n-core.ts';
import { syncBoardRoles } from './jobs.ts';
import { registerMeetingPages } from './meetings-pages.tsx';
import { governancePermissions } from './permissions.ts';
import { governancePersonalData } from './personal-data.ts';
import { governanceData } from './privacy.ts';
import * as schema from './schema.ts';
import { seedGovernance } from './seed.ts';
import { registerSettingsPages } from './settings-pages.tsx';

// gov-core owns this file's shape; gov-motions adds its parts as one or two lines each
// (spread its catalogue into `messages`, call its register function in `pages`).

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof govCoreEn, string> {}
}

/** Governance of the mutual: rules and policies, the board, meetings and quorum, motions, the decisions register. */
export const governanceModule = {
  name: 'governance',
  pages(pages) {
    registerDocumentPages(pages);
    registerBoardPages(pages);
    registerMeetingPages(pages);
    registerSettingsPages(pages);
  },
  messages: messages({ ...govCoreEn }, { ...govCorePl }),
  nav: [{ href: '/governance', key: 'gov.core.nav', access: 'public', order: 45 }],
  permissions: governancePermissions,
  data: dataOf(schema, governanceData),
  personalData: governancePersonalData,
  jobs: [{ name: 'governance-board-roles', run: (deps, now) => syncBoardRoles(deps.database.db, now) }],
  seedTenant: (tx, tenantId) => seedGovernance(tx, tenantId),
  mePanel: { order: 70, render: renderInterestsPanel },
  demo: governanceDemo,
} satisfies ModuleManifest;
