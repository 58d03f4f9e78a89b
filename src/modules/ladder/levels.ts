import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import type { LevelRequirements } from './eligibility.ts';
import { ladderLevels, ladderRequirements, ladderRoleRequirements, type LadderLevel, type RequirementKind } from './schema.ts';

/** A level with its requirements, as pages and the eligibility function use it. */
export interface Level extends LadderLevel {
  courses: string[][];
  qualifications: string[][];
}

export function requirementsOf(level: Level): LevelRequirements {
  return { levelId: level.id, courses: level.courses, qualifications: level.qualifications, minutes: level.minutesRequired, dbs: level.dbsRequired, signOff: level.signOffRequired };
}

/** The tenant's levels in ladder order, with their requirements (two queries). */
export async function listLevels(db: Executor, tenantId: string): Promise<Level[]> {
  const levels = await db.select().from(ladderLevels).where(eq(ladderLevels.tenantId, tenantId)).orderBy(asc(ladderLevels.number));
  const reqs = await db.select().from(ladderRequirements).where(eq(ladderRequirements.tenantId, tenantId)).orderBy(asc(ladderRequirements.position));
  return levels.map((l) => ({
    ...l,
    courses: reqs.filter((r) => r.levelId === l.id && r.kind === 'course').map((r) => r.anyOf),
    qualifications: reqs.filter((r) => r.levelId === l.id && r.kind === 'qualification').map((r) => r.anyOf),
  }));
}

interface SeedLevel {
  number: number;
  title: string;
  titlePl: string;
  description: string;
  descriptionPl: string;
  courses: string[][];
  qualifications: string[][];
  hours: number;
  dbs: boolean;
  signOff: boolean;
}

/** The four levels of the case study ("each level includes training and accreditation routes"). */
export const SEED_LEVELS: readonly SeedLevel[] = [
  {
    number: 1,
    title: 'Volunteer with ideas for change',
    titlePl: 'Wolontariusz(ka) z pomysłami na zmiany',
    description: 'Parents who give some time and bring ideas about what could be better for families.',
    descriptionPl: 'Rodzice, którzy poświęcają trochę czasu i wnoszą pomysły, co można zmienić na lepsze dla rodzin.',
    courses: [['induction']],
    qualifications: [],
    hours: 0,
    dbs: false,
    signOff: false,
  },
  {
    number: 2,
    title: 'Running a group or serving as a parent governor',
    titlePl: 'Prowadzenie grupy lub udział w radzie szkoły jako rodzic',
    description: 'Parents who run a group for other families or serve as a parent governor.',
    descriptionPl: 'Rodzice, którzy prowadzą grupę dla innych rodzin lub zasiadają w radzie szkoły jako przedstawiciele rodziców.',
    courses: [['running-a-group', 'parent-governor']],
    qualifications: [['safeguarding']],
    hours: 20,
    dbs: true,
    signOff: true,
  },
  {
    number: 3,
    title: 'Single-issue activist building self-help networks',
    titlePl: 'Działania w jednej sprawie i sieci samopomocy',
    description: 'Parents who took up one issue and built a self-help network around it.',
    descriptionPl: 'Rodzice, którzy podjęli jedną sprawę i zbudowali wokół niej sieć samopomocy.',
    courses: [['campaigning-advocacy']],
    qualifications: [['safeguarding']],
    hours: 60,
    dbs: true,
    signOff: true,
  },
  {
    number: 4,
    title: 'Community activist advocating for all families',
    titlePl: 'Działalność społeczna na rzecz wszystkich rodzin',
    description: 'Parents who speak up for every family in the area and help shape what is commissioned.',
    descriptionPl: 'Rodzice, którzy zabierają głos w imieniu wszystkich rodzin w okolicy i współdecydują o zamawianych usługach.',
    courses: [['commissioning-for-parents']],
    qualifications: [['safeguarding'], ['advocate']],
    hours: 120,
    dbs: true,
    signOff: true,
  },
];

/** The training roles need (role → course keys and qualification kinds held in date). */
export const SEED_ROLE_REQUIREMENTS: ReadonlyArray<{ role: Role; kind: RequirementKind; key: string }> = [
  { role: 'volunteer', kind: 'course', key: 'induction' },
  { role: 'street_champion', kind: 'course', key: 'street-champion-induction' },
  { role: 'street_champion', kind: 'qualification', key: 'safeguarding' },
  { role: 'ward_rep', kind: 'course', key: 'induction' },
  { role: 'ward_rep', kind: 'qualification', key: 'safeguarding' },
];

/** Idempotent per tenant: the four levels and the role requirements, only where the tenant has none yet. */
export async function seedLadder(tx: Executor, tenantId: string): Promise<void> {
  const [existing] = await tx.select({ n: sql<number>`count(*)::int` }).from(ladderLevels).where(eq(ladderLevels.tenantId, tenantId));
  if (!existing?.n) {
    for (const l of SEED_LEVELS) {
      const id = newId();
      const inserted = await tx
        .insert(ladderLevels)
        .values({ tenantId, id, number: l.number, title: l.title, titlePl: l.titlePl, description: l.description, descriptionPl: l.descriptionPl, minutesRequired: l.hours * 60, dbsRequired: l.dbs, signOffRequired: l.signOff })
        .onConflictDoNothing()
        .returning({ id: ladderLevels.id });
      if (!inserted.length) continue;
      const reqs = [...l.courses.map((anyOf) => ({ kind: 'course' as const, anyOf })), ...l.qualifications.map((anyOf) => ({ kind: 'qualification' as const, anyOf }))];
      if (reqs.length) await tx.insert(ladderRequirements).values(reqs.map((r, i) => ({ tenantId, id: newId(), levelId: id, kind: r.kind, anyOf: r.anyOf, position: i })));
    }
  }
  const [roles] = await tx.select({ n: sql<number>`count(*)::int` }).from(ladderRoleRequirements).where(eq(ladderRoleRequirements.tenantId, tenantId));
  if (!roles?.n) await tx.insert(ladderRoleRequirements).values(SEED_ROLE_REQUIREMENTS.map((r) => ({ tenantId, ...r }))).onConflictDoNothing();
}

const KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** "induction, safeguarding-awareness" per line: one requirement per line, alternatives separated by commas or "or". */
export function parseKeyLines(text: string): string[][] | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((l) =>
      l
        .split(/,|\bor\b|\blub\b|\|/)
        .map((k) => k.trim().toLowerCase())
        .filter(Boolean),
    )
    .filter((l) => l.length > 0);
  if (lines.some((l) => l.some((k) => !KEY.test(k)))) return undefined;
  return lines.map((l) => [...new Set(l)]);
}

export function formatKeyLines(lists: readonly (readonly string[])[]): string {
  return lists.map((l) => l.join(', ')).join('\n');
}

export const LevelInput = z.object({
  title: z.string().trim().min(1, 'ladder.field.title').max(200, 'ladder.field.title'),
  titlePl: z.string().trim().max(200, 'ladder.field.title').default(''),
  description: z.string().trim().max(2000, 'ladder.field.description').default(''),
  descriptionPl: z.string().trim().max(2000, 'ladder.field.description').default(''),
  courses: z.string().max(4000, 'ladder.field.keys').default(''),
  qualifications: z.string().max(4000, 'ladder.field.keys').default(''),
  hours: z.coerce.number('ladder.field.hours').int('ladder.field.hours').min(0, 'ladder.field.hours').max(10000, 'ladder.field.hours'),
  dbs: z.boolean().default(false),
  signOff: z.boolean().default(false),
});
export type LevelInput = z.input<typeof LevelInput>;

function checkLevel(input: LevelInput) {
  const parsed = LevelInput.safeParse(input);
  const issues = parsed.success ? [] : parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'form'), message: i.message }));
  const courses = parseKeyLines(input.courses ?? '');
  const qualifications = parseKeyLines(input.qualifications ?? '');
  if (!courses) issues.push({ field: 'courses', message: 'ladder.field.keys' });
  if (!qualifications) issues.push({ field: 'qualifications', message: 'ladder.field.keys' });
  if (!parsed.success || !courses || !qualifications) throw new AppError('validation_failed', 'The level cannot be saved.', issues, 'ladder.error.levelInvalid');
  return { ...parsed.data, courses, qualifications };
}

async function writeRequirements(tx: Executor, tenantId: string, levelId: string, courses: string[][], qualifications: string[][]) {
  await tx.delete(ladderRequirements).where(and(eq(ladderRequirements.tenantId, tenantId), eq(ladderRequirements.levelId, levelId)));
  const reqs = [...courses.map((anyOf) => ({ kind: 'course' as const, anyOf })), ...qualifications.map((anyOf) => ({ kind: 'qualification' as const, anyOf }))];
  if (reqs.length) await tx.insert(ladderRequirements).values(reqs.map((r, i) => ({ tenantId, id: newId(), levelId, kind: r.kind, anyOf: r.anyOf, position: i })));
}

/** Change a level's titles, descriptions and requirements (`ladder.manage`); audited. */
export async function updateLevel(db: Db, actor: Actor | undefined, levelId: string, input: LevelInput): Promise<void> {
  requirePermission(actor, 'ladder.manage');
  const v = checkLevel(input);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(ladderLevels)
      .set({ title: v.title, titlePl: v.titlePl, description: v.description, descriptionPl: v.descriptionPl, minutesRequired: v.hours * 60, dbsRequired: v.dbs, signOffRequired: v.signOff, updatedAt: new Date() })
      .where(and(eq(ladderLevels.tenantId, actor.tenantId), eq(ladderLevels.id, levelId)))
      .returning({ id: ladderLevels.id, number: ladderLevels.number });
    if (!row) throw new AppError('not_found', 'That level was not found.', [], 'ladder.error.levelNotFound');
    await writeRequirements(tx, actor.tenantId, levelId, v.courses, v.qualifications);
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'ladder.level.update', entity: 'ladder_level', entityId: levelId, data: { number: row.number } });
  });
}

/** Add a level at the top of the ladder (`ladder.manage`); audited. */
export async function addLevel(db: Db, actor: Actor | undefined, input: LevelInput): Promise<string> {
  requirePermission(actor, 'ladder.manage');
  const v = checkLevel(input);
  return db.transaction(async (tx) => {
    // Serialise additions per tenant so two coordinators cannot take the same number.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`ladder-levels:${actor.tenantId}`}))`);
    const [top] = await tx.select({ n: sql<number>`coalesce(max(${ladderLevels.number}), 0)::int` }).from(ladderLevels).where(eq(ladderLevels.tenantId, actor.tenantId));
    const id = newId();
    const number = (top?.n ?? 0) + 1;
    await tx.insert(ladderLevels).values({ tenantId: actor.tenantId, id, number, title: v.title, titlePl: v.titlePl, description: v.description, descriptionPl: v.descriptionPl, minutesRequired: v.hours * 60, dbsRequired: v.dbs, signOffRequired: v.signOff });
    await writeRequirements(tx, actor.tenantId, id, v.courses, v.qualifications);
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'ladder.level.add', entity: 'ladder_level', entityId: id, data: { number } });
    return id;
  });
}

/** Roles that may declare the training they need (the ladder's own list: volunteering and staff roles, not admin or viewer). */
export const TRAINED_ROLES = ['volunteer', 'street_champion', 'ward_rep', 'coordinator', 'safeguarding_lead', 'board', 'partner'] as const satisfies readonly Role[];

function isTrainedRole(role: string): role is (typeof TRAINED_ROLES)[number] {
  return (TRAINED_ROLES as readonly string[]).includes(role);
}

/** Role → what it needs: course keys and qualification kinds held in date. */
export type RoleNeeds = Map<Role, { courses: string[]; qualifications: string[] }>;

export async function roleRequirements(db: Executor, tenantId: string): Promise<RoleNeeds> {
  const rows = await db.select().from(ladderRoleRequirements).where(eq(ladderRoleRequirements.tenantId, tenantId)).orderBy(asc(ladderRoleRequirements.role), asc(ladderRoleRequirements.kind), asc(ladderRoleRequirements.key));
  const out: RoleNeeds = new Map();
  for (const r of rows) {
    if (!isTrainedRole(r.role)) continue;
    const entry = out.get(r.role as Role) ?? { courses: [], qualifications: [] };
    (r.kind === 'course' ? entry.courses : entry.qualifications).push(r.key);
    out.set(r.role as Role, entry);
  }
  return out;
}

/** Replace what a role needs (`ladder.manage`); audited. Keys: comma-separated. */
export async function setRoleRequirements(db: Db, actor: Actor | undefined, role: string, input: { courses: string; qualifications: string }): Promise<void> {
  requirePermission(actor, 'ladder.manage');
  if (!isTrainedRole(role)) throw new AppError('not_found', 'That role was not found.', [], 'ladder.error.roleNotFound');
  const split = (s: string) => [...new Set(s.split(/[,\n]/).map((k) => k.trim().toLowerCase()).filter(Boolean))];
  const courses = split(input.courses);
  const qualifications = split(input.qualifications);
  const issues = [
    ...(courses.every((k) => KEY.test(k)) && courses.length <= 50 ? [] : [{ field: 'courses', message: 'ladder.field.keys' }]),
    ...(qualifications.every((k) => KEY.test(k)) && qualifications.length <= 50 ? [] : [{ field: 'qualifications', message: 'ladder.field.keys' }]),
  ];
  if (issues.length) throw new AppError('validation_failed', 'The role requirements cannot be saved.', issues, 'ladder.error.roleInvalid');
  await db.transaction(async (tx) => {
    await tx.delete(ladderRoleRequirements).where(and(eq(ladderRoleRequirements.tenantId, actor.tenantId), eq(ladderRoleRequirements.role, role)));
    const rows = [...courses.map((key) => ({ kind: 'course' as const, key })), ...qualifications.map((key) => ({ kind: 'qualification' as const, key }))];
    if (rows.length) await tx.insert(ladderRoleRequirements).values(rows.map((r) => ({ tenantId: actor.tenantId, role, ...r })));
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'ladder.role.update', entity: 'ladder_role', entityId: role, data: { courses: courses.length, qualifications: qualifications.length } });
  });
}
