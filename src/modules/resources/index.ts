import { isoDate } from '../../lib/dates.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { registerAnswerPages } from './answers-pages.tsx';
import { resourcesDemo } from './demo.ts';
import { resAnswersEn, resAnswersPl } from './i18n-answers.ts';
import { resCoreEn, resCorePl } from './i18n-core.ts';
import { resourcesOrukEn, resourcesOrukPl } from './i18n-oruk.ts';
import { RES_IMPORT_MAX_BYTES } from './import-files.ts';
import { registerOrukApi } from './oruk-routes.ts';
import { registerDirectoryPages } from './pages-directory.tsx';
import { registerFamilyKeyPages } from './pages-family-keys.tsx';
import { registerImportPages } from './pages-import.tsx';
import { ORUK_IMPORT_PATH, ORUK_MAX_BYTES, registerOrukPages } from './pages-oruk.tsx';
import { resourcesPermissions } from './permissions.ts';
import { resourcesPersonalData } from './personal-data.ts';
import { resourcesData } from './privacy.ts';
import { registerReportPage } from './report.ts';
import { registerScenarioPages } from './scenario-pages.tsx';
import * as schema from './schema.ts';
import { retainContacts, seedResources } from './service.ts';

/** The resource audit: providers, services, spend and reach; the answers; Open Referral UK exchange. */
export const resourcesModule = {
  name: 'resources',
  pages(pages) {
    // The directory, providers, services, categories; import; family keys.
    registerDirectoryPages(pages);
    registerImportPages(pages);
    registerFamilyKeyPages(pages);
    // The answers, scenarios and the audit report.
    registerAnswerPages(pages);
    registerScenarioPages(pages);
    registerReportPage(pages);
    // Open Referral UK import.
    registerOrukPages(pages);
  },
  api(api) {
    registerOrukApi(api);
  },
  messages: messages({ ...resCoreEn, ...resAnswersEn, ...resourcesOrukEn }, { ...resCorePl, ...resAnswersPl, ...resourcesOrukPl }),
  nav: [
    { href: '/resources', key: 'res.core.nav', access: 'resources.read', order: 55 },
    { href: '/resources/answers', key: 'res.answers.index.title', access: 'resources.read', order: 70 },
  ],
  uploads: [
    { path: '/resources/import', maxBytes: RES_IMPORT_MAX_BYTES + 64 * 1024 },
    { path: ORUK_IMPORT_PATH, maxBytes: ORUK_MAX_BYTES },
  ],
  permissions: resourcesPermissions,
  data: dataOf(schema, resourcesData),
  personalData: resourcesPersonalData,
  // Pseudonymous contacts older than three years (privacy.ts).
  retention: [{ name: 'resources-contacts', run: (db) => retainContacts(db, isoDate(new Date())) }],
  seedTenant: (tx, tenantId) => seedResources(tx, tenantId),
  demo: resourcesDemo,
} satisfies ModuleManifest;
