import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { registerAnswerPages } from './answers-pages.tsx';
import { resAnswersEn, resAnswersPl } from './i18n-answers.ts';
import { resourcesPermissions } from './permissions.ts';
import { resourcesData } from './privacy.ts';
import { registerReportPage } from './report.ts';
import { registerScenarioPages } from './scenario-pages.tsx';
import * as schema from './schema.ts';

// BASE (issue 11): res-core, res-answers and bp-oruk each add their parts as one or two lines.

/** The resource audit: providers, services, spend and reach; the answers; Open Referral UK exchange. */
export const resourcesModule = {
  name: 'resources',
  pages(pages) {
    registerAnswerPages(pages); registerScenarioPages(pages); registerReportPage(pages); // res-answers
  },
  messages: messages({ ...resAnswersEn }, { ...resAnswersPl }),
  nav: [{ href: '/resources/answers', key: 'res.answers.index.title', access: 'resources.read', order: 70 }],
  permissions: resourcesPermissions,
  data: dataOf(schema, resourcesData),
} satisfies ModuleManifest;
