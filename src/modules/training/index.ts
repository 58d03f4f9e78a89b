import type { Role } from '../membership/schema.ts';
import { dataOf, messages, type ModuleManifest } from '../manifest.ts';
import { seedCourses } from './courses.ts';
import { trainingDemo } from './demo.ts';
import { trainingEn, trainingPl } from './i18n.ts';
import { renderTrainingPanel } from './me-panel.tsx';
import { registerCoordinatorPages } from './pages-coordinator.tsx';
import { registerPublicPages } from './pages-public.tsx';
import { registerRegisterPages } from './pages-register.tsx';
import { trainingPersonalData } from './personal-data.ts';
import { trainingData } from './privacy.ts';
import { sendSessionReminders } from './reminders.ts';
import * as schema from './schema.ts';

type TrainingPermission = 'training.manage';

declare module '../../server/auth/permissions.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface Permissions extends Record<TrainingPermission, true> {}
}

declare module '../../ui/i18n/en.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging: the members come from Record
  interface ModuleMessages extends Record<keyof typeof trainingEn, string> {}
}

const permissions = {
  /** The course catalogue, sessions, rosters and every session's register. Trainers need no role: the register's record-level rule admits a session's own trainer. */
  'training.manage': ['coordinator', 'admin'],
} as const satisfies Record<TrainingPermission, readonly Role[]>;

/** Courses, sessions, booking with a waiting list, the attendance register, reminders and the iCalendar feed. */
export const trainingModule = {
  name: 'training',
  pages(pages) {
    registerPublicPages(pages);
    registerRegisterPages(pages);
    registerCoordinatorPages(pages);
  },
  messages: messages(trainingEn, trainingPl),
  nav: [
    { href: '/training', key: 'training.nav', access: 'public', order: 35 },
    { href: '/coordinator/training', key: 'training.nav.coordinator', access: 'training.manage', order: 52 },
  ],
  permissions,
  data: dataOf(schema, trainingData),
  personalData: trainingPersonalData,
  jobs: [{ name: 'training-reminders', run: (deps, now) => sendSessionReminders(deps.database.db, now) }],
  seedTenant: (tx, tenantId) => seedCourses(tx, tenantId),
  mePanel: { order: 20, render: renderTrainingPanel },
  demo: trainingDemo,
} satisfies ModuleManifest;
