import type { Role } from '../membership/schema.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { needsEn, needsPl } from './i18n-needs.ts';
import { needsPermissions } from './needs-permissions.ts';
import { registerNeedsPages } from './pages-needs.tsx';
import { intelligenceData } from './privacy.ts';
import * as schema from './schema.ts';

type IntelPermission = keyof typeof needsPermissions;
declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<IntelPermission, true> {}
}
declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof needsEn, string> {}
}

/** Who may do what in intelligence (each area's permissions come from its own file). */
const permissions = { ...needsPermissions } as const satisfies Record<IntelPermission, readonly Role[]>;

/** Street champions' intelligence: reports from the field, triage, the needs picture; safeguarding concerns kept apart. */
export const intelligenceModule = {
  name: 'intelligence',
  pages(pages) {
    registerNeedsPages(pages);
  },
  messages: messages({ ...needsEn }, { ...needsPl }),
  nav: [{ href: '/needs', key: 'intel.needs.nav', access: 'public', order: 35 }],
  permissions,
  data: dataOf(schema, intelligenceData),
} satisfies ModuleManifest;
