import type { Role } from '../membership/schema.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { commissioningDemo } from './demo.ts';
import { commEn, commPl } from './i18n.ts';
import { ratifyEn, ratifyPl } from './i18n-ratify.ts';
import { registerManagePages } from './pages-manage.tsx';
import { registerPublicPages } from './pages-public.tsx';
import { commissioningPersonalData } from './personal-data.ts';
import { commissioningData } from './privacy.ts';
import './ratify.ts';
import * as schema from './schema.ts';

type CommissioningPermission = 'commissioning.manage' | 'commissioning.propose';

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<CommissioningPermission, true> {}
}

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof commEn, string> {}
}

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof ratifyEn, string> {}
}

/** Who may do what with the budget (ratification is the board's, through governance). */
const permissions = {
  /** Pots, income, rounds and their rules, eligibility of proposals, closing and counting. */
  'commissioning.manage': ['coordinator', 'admin'],
  /** Make a budget proposal. */
  'commissioning.propose': ['member', 'ward_rep', 'coordinator', 'partner'],
} as const satisfies Record<CommissioningPermission, readonly Role[]>;

/** Commissioning with the devolved budget: pots and the ledger, proposals, secret PB rounds, results, ratification. */
export const commissioningModule = {
  name: 'commissioning',
  pages(pages) {
    registerPublicPages(pages);
    registerManagePages(pages);
  },
  messages: messages({ ...commEn, ...ratifyEn }, { ...commPl, ...ratifyPl }),
  nav: [
    { href: '/budget', key: 'comm.nav.budget', access: 'public', order: 37 },
    { href: '/coordinator/budget', key: 'comm.nav.coordinator', access: 'commissioning.manage', order: 55 },
  ],
  permissions,
  data: dataOf(schema, commissioningData),
  personalData: commissioningPersonalData,
  demo: commissioningDemo,
} satisfies ModuleManifest;
