import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { offlineEn, offlinePl } from './i18n-offline.ts';
import { registerOfflinePages } from './pages-offline.tsx';
import { intelligenceData } from './privacy.ts';
import * as schema from './schema.ts';

// BASE (issue 10): the helpers fill in pages, API, messages, permissions, provider, jobs, demo.
/** Street champions' intelligence: reports from the field, triage, the needs picture; safeguarding concerns kept apart. */
export const intelligenceModule = {
  name: 'intelligence',
  pages(pages, deps) {
    registerOfflinePages(pages, deps); // intel-offline: /sw.js, /manifest.webmanifest
  },
  messages: messages({ ...offlineEn }, { ...offlinePl }),
  data: dataOf(schema, intelligenceData),
} satisfies ModuleManifest;
