import type { Role } from '../membership/schema.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { clearLadderDemo, loadLadderDemo } from './demo.ts';
import { ladderEn, ladderPl } from './i18n.ts';
import { seedLadder } from './levels.ts';
import { LadderMePanel } from './pages-me.tsx';
import { registerLadderPages } from './pages.tsx';
import { ladderPersonalData } from './personal-data.ts';
import { ladderData } from './privacy.ts';
import * as schema from './schema.ts';
import { ladderTenants, recomputeEligibility } from './service.ts';

type LadderPermission = 'ladder.manage' | 'ladder.approve';

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<LadderPermission, true> {}
}

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof ladderEn, string> {}
}

const permissions = {
  /** Levels, their requirements and the training roles need. */
  'ladder.manage': ['coordinator', 'admin'],
  /** Step-up decisions, sign-offs, a member's ladder and the dashboard. */
  'ladder.approve': ['coordinator', 'admin'],
} as const satisfies Record<LadderPermission, readonly Role[]>;

/** The ladder of participation: levels, requirements, stepping up, the coordinator dashboard (issue 9). */
export const ladderModule = {
  name: 'ladder',
  pages: (pages) => registerLadderPages(pages),
  messages: messages(ladderEn, ladderPl),
  nav: [
    { href: '/me/ladder', key: 'ladder.nav.me', access: 'signed-in', order: 58 },
    { href: '/coordinator/ladder', key: 'ladder.nav.coordinator', access: 'ladder.approve', order: 52 },
  ],
  permissions,
  data: dataOf(schema, ladderData),
  personalData: ladderPersonalData,
  seedTenant: (tx, tenantId) => seedLadder(tx, tenantId),
  jobs: [
    {
      // Every five minutes: the snapshot the dashboard reads. Idempotent; an advisory lock per tenant serialises two processes.
      name: 'ladder eligibility',
      async run(deps, now) {
        let n = 0;
        for (const tenantId of await ladderTenants(deps.database.db)) n += await recomputeEligibility(deps.database.db, tenantId, { now });
        return n;
      },
    },
  ],
  mePanel: { order: 40, render: (ctx) => LadderMePanel(ctx) },
  demo: {
    name: 'ladder levels',
    load: ({ db, tenant, today }) => loadLadderDemo(db, tenant.id, today),
    clear: ({ db, tenant }) => clearLadderDemo(db, tenant.id),
  },
} satisfies ModuleManifest;
