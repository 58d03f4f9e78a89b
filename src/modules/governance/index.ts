import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { registerDecisionPages } from './decisions-pages.tsx';
import { registerBoardPages, renderInterestsPanel } from './board-pages.tsx';
import { governanceDemo } from './demo.ts';
import { registerDocumentPages } from './documents-pages.tsx';
import { govCoreEn, govCorePl } from './i18n-core.ts';
import { syncBoardRoles } from './jobs.ts';
import { registerMeetingPages } from './meetings-pages.tsx';
import { motionsEn, motionsPl } from './i18n-motions.ts';
import { motionsDemo } from './motions-demo.ts';
import { motionsJobs } from './motions-jobs.ts';
import { registerMotionPages } from './motions-pages.tsx';
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

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof motionsEn, string> {}
}

/** Governance of the mutual: rules and policies, the board, meetings and quorum, motions, the decisions register. */
export const governanceModule = {
  name: 'governance',
  pages(pages) {
    registerDocumentPages(pages);
    registerBoardPages(pages);
    registerMeetingPages(pages);
    registerSettingsPages(pages);
    registerMotionPages(pages);
    registerDecisionPages(pages);
  },
  messages: messages({ ...govCoreEn, ...motionsEn }, { ...govCorePl, ...motionsPl }),
  nav: [
    { href: '/governance', key: 'gov.core.nav', access: 'public', order: 45 },
    { href: '/governance/motions', key: 'gov.motions.nav', access: 'signed-in', order: 59 },
  ],
  footer: [{ href: '/governance/decisions', key: 'gov.decisions.nav', order: 30 }],
  permissions: governancePermissions,
  data: dataOf(schema, governanceData),
  personalData: governancePersonalData,
  jobs: [{ name: 'governance-board-roles', run: (deps, now) => syncBoardRoles(deps.database.db, now) }, ...motionsJobs],
  seedTenant: (tx, tenantId) => seedGovernance(tx, tenantId),
  mePanel: { order: 70, render: renderInterestsPanel },
  // The board, documents and meetings first, then the motions and decisions that refer to them.
  demo: {
    name: 'governance',
    load: async (ctx) => (await governanceDemo.load(ctx)) + (await motionsDemo.load(ctx)),
    clear: async (ctx) => (await motionsDemo.clear(ctx)) + (await governanceDemo.clear(ctx)),
  },
} satisfies ModuleManifest;
