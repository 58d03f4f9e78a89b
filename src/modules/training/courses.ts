import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Executor } from '../../db/connection.ts';
import { newId } from '../../lib/ids.ts';
import { requirePermission } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { appendAudit } from '../audit/service.ts';
import type { Actor } from '../membership/policy.ts';
import { trainingCourses, type Course } from './schema.ts';

/** The seeded catalogue: the keys are stable (accreditation and the ladder name courses by them). */
export const SEEDED_COURSES = [
  { key: 'induction', durationMinutes: 120, title: 'Induction', titlePl: 'Wprowadzenie', description: 'What the mutual is, how it works and how you can take part.', descriptionPl: 'Czym jest nasza spółdzielnia, jak działa i jak można się zaangażować.' },
  { key: 'safeguarding-awareness', durationMinutes: 180, title: 'Safeguarding awareness', titlePl: 'Ochrona dzieci – podstawy', description: 'Recognising when a child may be at risk and what to do next.', descriptionPl: 'Jak rozpoznać, że dziecku może grozić niebezpieczeństwo, i co wtedy zrobić.' },
  { key: 'street-champion-induction', durationMinutes: 150, title: 'Street champion induction', titlePl: 'Wprowadzenie dla liderów ulicy', description: 'Listening to families on your street and reporting what you learn.', descriptionPl: 'Słuchanie rodzin z sąsiedztwa i przekazywanie tego, czego się dowiadujemy.' },
  { key: 'running-a-group', durationMinutes: 180, title: 'Running a group', titlePl: 'Prowadzenie grupy', description: 'Planning, welcoming and running a parents\u2019 group safely.', descriptionPl: 'Planowanie, przyjmowanie uczestników i bezpieczne prowadzenie grupy rodziców.' },
  { key: 'parent-governor', durationMinutes: 180, title: 'Being a parent governor', titlePl: 'Rodzic w radzie szkoły', description: 'The role, duties and rights of a parent governor.', descriptionPl: 'Rola, obowiązki i prawa rodzica w radzie szkoły.' },
  { key: 'campaigning-advocacy', durationMinutes: 240, title: 'Campaigning and advocacy', titlePl: 'Kampanie i rzecznictwo', description: 'Speaking up for all families and running a campaign that works.', descriptionPl: 'Występowanie w imieniu wszystkich rodzin i prowadzenie skutecznej kampanii.' },
  { key: 'commissioning-for-parents', durationMinutes: 240, title: 'Commissioning for parents', titlePl: 'Zamawianie usług – kurs dla rodziców', description: 'How services are bought, judged and changed, and how parents decide.', descriptionPl: 'Jak usługi są zamawiane, oceniane i zmieniane oraz jak decydują rodzice.' },
] as const;

/** Insert the seeded courses a tenant lacks (idempotent: existing keys, edited or not, are left alone). */
export async function seedCourses(tx: Executor, tenantId: string): Promise<void> {
  await tx
    .insert(trainingCourses)
    .values(SEEDED_COURSES.map((c) => ({ tenantId, id: newId(), ...c })))
    .onConflictDoNothing({ target: [trainingCourses.tenantId, trainingCourses.key] });
}

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'training.error.tooLong')
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

/** A course as coordinators enter it (form and service share it). */
export const CourseInput = z.object({
  key: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,59}$/, 'training.error.courseKey'),
  title: z.string().trim().min(1, 'training.error.title').max(120, 'training.error.tooLong'),
  titlePl: optionalText(120),
  description: z.string().trim().max(500, 'training.error.tooLong').default(''),
  descriptionPl: optionalText(500),
  durationMinutes: z.coerce.number({ message: 'training.error.duration' }).int('training.error.duration').min(1, 'training.error.duration').max(10080, 'training.error.duration'),
  active: z.boolean().default(true),
});
export type CourseInput = z.input<typeof CourseInput>;

function parseCourse(input: CourseInput) {
  const parsed = CourseInput.safeParse(input);
  if (!parsed.success) throw new AppError('validation_failed', 'Please correct the course.', fieldIssues(parsed.error), 'training.error.fix');
  return parsed.data;
}

export async function listCourses(db: Executor, tenantId: string): Promise<Course[]> {
  return db.select().from(trainingCourses).where(eq(trainingCourses.tenantId, tenantId)).orderBy(trainingCourses.title);
}

export async function findCourse(db: Executor, tenantId: string, id: string): Promise<Course | undefined> {
  const [row] = await db.select().from(trainingCourses).where(and(eq(trainingCourses.tenantId, tenantId), eq(trainingCourses.id, id)));
  return row;
}

async function keyTaken(tx: Executor, tenantId: string, key: string, except?: string): Promise<boolean> {
  const [row] = await tx.select({ id: trainingCourses.id }).from(trainingCourses).where(and(eq(trainingCourses.tenantId, tenantId), eq(trainingCourses.key, key)));
  return !!row && row.id !== except;
}

export async function createCourse(db: Db, actor: Actor, input: CourseInput): Promise<Course> {
  requirePermission(actor, 'training.manage');
  const data = parseCourse(input);
  return db.transaction(async (tx) => {
    if (await keyTaken(tx, actor.tenantId, data.key)) throw new AppError('conflict', 'Another course has that key.', [{ field: 'key', message: 'training.error.keyTaken' }], 'training.error.keyTaken');
    const [row] = await tx.insert(trainingCourses).values({ tenantId: actor.tenantId, id: newId(), ...data }).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'training.course.create', entity: 'training_course', entityId: row!.id, data: { key: data.key } });
    return row!;
  });
}

/** Edit a course; the key of a seeded course stays (other modules name it), any other key may change once unique. */
export async function updateCourse(db: Db, actor: Actor, id: string, input: CourseInput): Promise<Course> {
  requirePermission(actor, 'training.manage');
  const data = parseCourse(input);
  return db.transaction(async (tx) => {
    const existing = await findCourse(tx, actor.tenantId, id);
    if (!existing) throw new AppError('not_found', 'That course was not found.', [], 'training.error.courseNotFound');
    const seeded = SEEDED_COURSES.some((c) => c.key === existing.key);
    if (seeded && data.key !== existing.key) throw new AppError('validation_failed', 'The key of a seeded course cannot change.', [{ field: 'key', message: 'training.error.keySeeded' }], 'training.error.keySeeded');
    if (await keyTaken(tx, actor.tenantId, data.key, id)) throw new AppError('conflict', 'Another course has that key.', [{ field: 'key', message: 'training.error.keyTaken' }], 'training.error.keyTaken');
    const [row] = await tx.update(trainingCourses).set(data).where(and(eq(trainingCourses.tenantId, actor.tenantId), eq(trainingCourses.id, id))).returning();
    await appendAudit(tx, { tenantId: actor.tenantId, actor: actor.memberId, action: 'training.course.update', entity: 'training_course', entityId: id, data: { key: data.key, active: data.active } });
    return row!;
  });
}

/** The course title in the reader's language. */
export function courseTitle(course: { title: string; titlePl: string | null }, locale: string): string {
  return locale === 'pl' && course.titlePl ? course.titlePl : course.title;
}
