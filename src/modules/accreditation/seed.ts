import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { qualificationKindCourses, qualificationKinds, type CourseRelation } from './schema.ts';

interface SeedKind {
  key: string;
  title: string;
  titlePl: string;
  description: string;
  descriptionPl: string;
  validityMonths: number | null;
  reactivationMonths?: number;
  courses: Array<[courseKey: string, relation: CourseRelation]>;
}

/** The default kinds (course keys are training's seeded keys). */
export const SEED_KINDS: readonly SeedKind[] = [
  {
    key: 'safeguarding',
    title: 'Safeguarding awareness',
    titlePl: 'Ochrona dzieci – podstawy',
    description: 'Knows how to recognise and report a concern about a child or an adult at risk.',
    descriptionPl: 'Wie, jak rozpoznać i zgłosić obawę o dziecko lub osobę dorosłą w trudnej sytuacji.',
    validityMonths: 36,
    reactivationMonths: 12,
    courses: [
      ['safeguarding-awareness', 'grants'],
      ['safeguarding-awareness', 'renews'],
      ['street-champion-induction', 'requires'],
      ['running-a-group', 'requires'],
    ],
  },
  {
    key: 'street-champion',
    title: 'Street champion',
    titlePl: 'Ambasador(ka) ulicy',
    description: 'Welcomes families on their street and passes on what they need.',
    descriptionPl: 'Wita rodziny na swojej ulicy i przekazuje dalej ich potrzeby.',
    validityMonths: 24,
    courses: [['street-champion-induction', 'grants']],
  },
  { key: 'induction', title: 'Volunteer induction', titlePl: 'Wprowadzenie do wolontariatu', description: 'Knows how the mutual works and how volunteers are supported.', descriptionPl: 'Wie, jak działa stowarzyszenie i jak wspiera osoby w wolontariacie.', validityMonths: null, courses: [['induction', 'grants']] },
  { key: 'group-leader', title: 'Group leader', titlePl: 'Prowadzenie grupy', description: 'Can run a parents’ group safely.', descriptionPl: 'Umie bezpiecznie prowadzić grupę rodziców.', validityMonths: 36, courses: [['running-a-group', 'grants']] },
  { key: 'parent-governor', title: 'Parent governor', titlePl: 'Rodzic w radzie szkoły', description: 'Ready to serve as a parent governor.', descriptionPl: 'Przygotowanie do pracy w radzie szkoły jako rodzic.', validityMonths: 48, courses: [['parent-governor', 'grants']] },
  { key: 'advocate', title: 'Parent advocate', titlePl: 'Rzecznictwo rodziców', description: 'Can speak up for parents with councils and services.', descriptionPl: 'Umie występować w imieniu rodziców wobec władz i instytucji.', validityMonths: null, courses: [['campaigning-advocacy', 'grants']] },
  { key: 'commissioning', title: 'Commissioning for parents', titlePl: 'Zlecanie usług dla rodziców', description: 'Understands how services for families are commissioned.', descriptionPl: 'Rozumie, jak zleca się usługi dla rodzin.', validityMonths: null, courses: [['commissioning-for-parents', 'grants']] },
];

/**
 * Per-tenant defaults: the kinds missing by key, with their course links. Links are written only
 * for a kind this run adds, so a coordinator's later edits are never undone at the next start.
 */
export async function seedAccreditation(tx: Executor, tenantId: string): Promise<void> {
  const existing = new Set((await tx.select({ key: qualificationKinds.key }).from(qualificationKinds).where(and(eq(qualificationKinds.tenantId, tenantId), inArray(qualificationKinds.key, SEED_KINDS.map((k) => k.key))))).map((r) => r.key));
  const missing = SEED_KINDS.filter((k) => !existing.has(k.key));
  if (!missing.length) return;
  const added = await tx
    .insert(qualificationKinds)
    .values(missing.map((k) => ({ tenantId, id: newId(), key: k.key, title: k.title, titlePl: k.titlePl, description: k.description, descriptionPl: k.descriptionPl, validityMonths: k.validityMonths, reactivatable: k.reactivationMonths !== undefined, reactivationMonths: k.reactivationMonths ?? null })))
    .onConflictDoNothing()
    .returning({ id: qualificationKinds.id, key: qualificationKinds.key });
  const links = added.flatMap((row) => (SEED_KINDS.find((k) => k.key === row.key)?.courses ?? []).map(([courseKey, relation]) => ({ tenantId, kindId: row.id, courseKey, relation })));
  if (links.length) await tx.insert(qualificationKindCourses).values(links).onConflictDoNothing();
}
