import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { registerDecisionPages } from './decisions-pages.tsx';
import { motionsEn, motionsPl } from './i18n-motions.ts';
import { motionsDemo } from './motions-demo.ts';
import { motionsJobs } from './motions-jobs.ts';
import { motionsPersonalData } from './motions-personal-data.ts';
import { registerMotionPages } from './motions-pages.tsx';
import { governancePermissions } from './permissions.ts';
import { governanceData } from './privacy.ts';
import * as schema from './schema.ts';

// BASE (issue 12): gov-core and gov-motions each add their parts as one or two lines.

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof motionsEn, string> {}
}

/** Governance of the mutual: rules and policies, the board, meetings and quorum, motions, the decisions register. */
export const governanceModule = {
  name: 'governance',
  pages(pages) {
    registerMotionPages(pages); // gov-motions
    registerDecisionPages(pages); // gov-motions
  },
  messages: messages({ ...motionsEn }, { ...motionsPl }), // gov-motions: spread motionsEn / motionsPl beside gov-core's catalogue
  nav: [{ href: '/governance/motions', key: 'gov.motions.nav', access: 'signed-in', order: 59 }], // gov-motions
  footer: [{ href: '/governance/decisions', key: 'gov.decisions.nav', order: 30 }], // gov-motions
  jobs: [...motionsJobs], // gov-motions
  demo: motionsDemo, // gov-motions (gov-core: combine the two parts' load/clear)
  personalData: motionsPersonalData, // gov-motions' tables (gov-core: one provider spreading these covers, sections and eraseFor beside its own)
  permissions: governancePermissions,
  data: dataOf(schema, governanceData),
} satisfies ModuleManifest;
