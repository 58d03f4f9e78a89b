import type { Role } from '../membership/schema.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { blueprintsDemo } from './demo.ts';
import { blueprintsEn, blueprintsPl } from './i18n.ts';
import { registerBlueprintPages } from './pages.tsx';
import { blueprintsPersonalData } from './personal-data.ts';
import { blueprintsData } from './privacy.ts';
import * as schema from './schema.ts';

type BlueprintsPermission = 'blueprints.edit' | 'blueprints.moderate';

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<BlueprintsPermission, true> {}
}

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof blueprintsEn, string> {}
}

const permissions = {
  /** Create blueprints and edit stages, lanes, cells and marks (a partner only for their own providers' services). */
  'blueprints.edit': ['coordinator', 'admin', 'partner', 'board'],
  /** Hide members' comments (audited). */
  'blueprints.moderate': ['coordinator', 'admin'],
} as const satisfies Record<BlueprintsPermission, readonly Role[]>;

/** Service blueprints: how a family lives a service, stage by stage, lane by lane; parents comment. */
export const blueprintsModule = {
  name: 'blueprints',
  pages(pages) {
    registerBlueprintPages(pages);
  },
  messages: messages(blueprintsEn, blueprintsPl),
  nav: [{ href: '/blueprints', key: 'bp.nav', access: 'signed-in', order: 46 }],
  permissions,
  data: dataOf(schema, blueprintsData),
  personalData: blueprintsPersonalData,
  demo: blueprintsDemo,
} satisfies ModuleManifest;
