import { isoDate } from '../../lib/dates.ts';
import type { Role } from '../membership/schema.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { retainCommissionContacts } from './commissions.ts';
import { commissioningDemo } from './demo.ts';
import { commissionsEn, commissionsPl } from './i18n-commissions.ts';
import { commEn, commPl } from './i18n.ts';
import { commBallotsEn, commBallotsPl } from './i18n-ballots.ts';
import { contractEn, contractPl } from './i18n-contracts.ts';
import { registerContractPages } from './pages-contracts.tsx';
import { registerCommissionPages } from './pages-commissions.tsx';
import { ratifyEn, ratifyPl } from './i18n-ratify.ts';
import { registerManagePages } from './pages-manage.tsx';
import { registerPublicPages } from './pages-public.tsx';
import { commissioningPersonalData } from './personal-data.ts';
import { commissioningData } from './privacy.ts';
import './ratify.ts';
import * as schema from './schema.ts';

type CommissioningPermission = 'commissioning.manage' | 'commissioning.propose' | 'commissioning.approve';

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<CommissioningPermission, true> {}
}

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof commEn | keyof typeof commBallotsEn, string> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof commissionsEn, string> {}
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
  /** Approve a contract payment someone else requested (the second person; board members include the treasurer). */
  'commissioning.approve': ['coordinator', 'admin', 'board'],
} as const satisfies Record<CommissioningPermission, readonly Role[]>;

/** Commissioning with the devolved budget: pots and the ledger, proposals, secret PB rounds, results, ratification. */
export const commissioningModule = {
  name: 'commissioning',
  pages(pages) {
    registerPublicPages(pages);
    registerManagePages(pages);
    registerContractPages(pages);
    registerCommissionPages(pages);
  },
  messages: messages({ ...commEn, ...commBallotsEn, ...contractEn, ...commissionsEn, ...ratifyEn }, { ...commPl, ...commBallotsPl, ...contractPl, ...commissionsPl, ...ratifyPl }),
  nav: [
    { href: '/budget', key: 'comm.nav.budget', access: 'public', order: 37 },
    { href: '/coordinator/budget', key: 'comm.nav.coordinator', access: 'commissioning.manage', order: 55 },
    { href: '/coordinator/budget/contracts', key: 'comm.contract.nav', access: 'commissioning.approve', order: 56 },
  ],
  permissions,
  data: dataOf(schema, commissioningData),
  personalData: commissioningPersonalData,
  demo: commissioningDemo,
  retention: [{ name: 'commission-contacts', run: (db) => retainCommissionContacts(db, isoDate(new Date())) }],
} satisfies ModuleManifest;
