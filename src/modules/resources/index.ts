import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { resourcesOrukEn, resourcesOrukPl } from './i18n-oruk.ts';
import { registerOrukApi } from './oruk-routes.ts';
import { ORUK_IMPORT_PATH, ORUK_MAX_BYTES, registerOrukPages } from './pages-oruk.tsx';
import { resourcesPermissions } from './permissions.ts';
import { resourcesData } from './privacy.ts';
import * as schema from './schema.ts';

// BASE (issue 11): res-core, res-answers and bp-oruk each add their parts as one or two lines.

/** The resource audit: providers, services, spend and reach; the answers; Open Referral UK exchange. */
export const resourcesModule = {
  name: 'resources',
  permissions: resourcesPermissions,
  data: dataOf(schema, resourcesData),
  messages: messages({ ...resourcesOrukEn }, { ...resourcesOrukPl }),
  pages: (pages) => {
    registerOrukPages(pages);
  },
  api: (api) => {
    registerOrukApi(api);
  },
  uploads: [{ path: ORUK_IMPORT_PATH, maxBytes: ORUK_MAX_BYTES }],
} satisfies ModuleManifest;
