import { lt, sql } from 'drizzle-orm';
import type { Role } from './schema.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { areaOverview, pickWardSet, wardsOf } from '../tenancy/views.ts';
import { clearMembershipDemo, loadMembershipDemo } from './demo.ts';
import { membershipEn, membershipPl } from './i18n.ts';
import { registerCoordinatorPages } from './pages-coordinator.tsx';
import { registerCoveragePages } from './pages-coverage.tsx';
import { registerInPersonConfirm } from './pages-confirm-in-person.tsx';
import { registerContactChangePages } from './pages-contact-change.tsx';
import { IMPORT_MAX_BYTES, registerImportPages } from './pages-import.tsx';
import { registerJoinPages } from './pages-join.tsx';
import { registerMePages } from './pages-me.tsx';
import { registerMemberEditPages } from './pages-member-edit.tsx';
import { registerPasskeyRoutes } from './pages-passkeys.tsx';
import { registerPhoneSignInPages } from './pages-signin-phone.tsx';
import { registerSignInPages } from './pages-signin.tsx';
import { MEMBER_MANAGERS } from './policy.ts';
import { registerMembershipApi } from './routes.ts';
import { membershipPersonalData } from './personal-data.ts';
import { membershipData } from './privacy.ts';
import * as schema from './schema.ts';
import { memberTokens, phoneCodes, rateLimits, webauthnChallenges } from './schema.ts';

type MembershipPermission = 'members.manage' | 'members.import' | 'coverage.exact' | 'staff.manage';

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<MembershipPermission, true> {}
}

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof membershipEn, string> {}
}

/** Who may do what in membership (roles are text: a module may add one without a migration). */
const permissions = {
  /** The member register: lists, records, edits, status, representatives, erasure on request. */
  'members.manage': MEMBER_MANAGERS,
  /** CSV import and export of the register. */
  'members.import': MEMBER_MANAGERS,
  /** Coverage with exact counts (the public page suppresses small numbers). */
  'coverage.exact': MEMBER_MANAGERS,
  /** Staff invitations and second-factor resets. */
  'staff.manage': ['admin'],
} as const satisfies Record<MembershipPermission, readonly Role[]>;

/** Members, roles, sign-in, second factors, representation, coordinator pages and the join API. */
export const membershipModule = {
  name: 'membership',
  pages(pages) {
    registerJoinPages(pages);
    registerSignInPages(pages);
    registerPhoneSignInPages(pages);
    registerMePages(pages);
    registerContactChangePages(pages);
    registerPasskeyRoutes(pages);
    registerCoveragePages(pages);
    registerImportPages(pages);
    registerMemberEditPages(pages);
    registerInPersonConfirm(pages);
    registerCoordinatorPages(pages);
  },
  api: (api) => registerMembershipApi(api),
  // Member CSV uploads may be large; everything else keeps the small limit.
  uploads: [{ path: '/coordinator/members/import', maxBytes: IMPORT_MAX_BYTES }],
  messages: messages(membershipEn, membershipPl),
  nav: [
    { href: '/wards/coverage', key: 'nav.coverage', access: 'public', order: 30 },
    { href: '/coordinator/members', key: 'nav.coordinator', access: 'members.manage', order: 50 },
    { href: '/me', key: 'nav.me', access: 'signed-in', order: 60 },
    { href: '/join', key: 'nav.join', access: 'signed-out', order: 60 },
    { href: '/sign-in', key: 'nav.signin', access: 'signed-out', order: 70 },
  ],
  permissions,
  data: dataOf(schema, membershipData),
  personalData: membershipPersonalData,
  retention: [
    { name: 'tokens', run: async (db) => (await db.delete(memberTokens).where(lt(memberTokens.expiresAt, sql`now() - interval '1 day'`)).returning({ k: memberTokens.tokenHash })).length },
    { name: 'challenges', run: async (db) => (await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, sql`now()`)).returning({ k: webauthnChallenges.id })).length },
    // Spent or expired sign-in codes after a day.
    { name: 'phone codes', run: async (db) => (await db.delete(phoneCodes).where(lt(phoneCodes.expiresAt, sql`now() - interval '1 day'`)).returning({ k: phoneCodes.id })).length },
    { name: 'counters', run: async (db) => (await db.delete(rateLimits).where(lt(rateLimits.windowStart, sql`now() - interval '1 day'`)).returning({ k: rateLimits.key })).length },
  ],
  demo: {
    name: 'members',
    async load({ db, tenant, today }) {
      const overview = await areaOverview(db, tenant);
      if (!overview.currentSet) return 0;
      const wards = await wardsOf(db, tenant, pickWardSet(overview, undefined));
      return (await loadMembershipDemo(db, tenant.id, wards, today)).members;
    },
    async clear({ db, tenant }) {
      return (await clearMembershipDemo(db, tenant.id)).members;
    },
  },
} satisfies ModuleManifest;
