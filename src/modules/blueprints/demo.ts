import { and, eq } from 'drizzle-orm';
import type { DemoContext, DemoPart } from '../../server/demo.ts';
import { translator, type Locale } from '../../ui/i18n/index.ts';
import type { Actor } from '../membership/policy.ts';
import { activeMembersWithRoles } from '../membership/views.ts';
import { serviceCards } from '../resources/views.ts';
import { laneTitles } from './pages.tsx';
import { bpBlueprints, bpComments, type Blueprint } from './schema.ts';
import { addComment, blueprintById, createBlueprint, editBlueprint } from './service.ts';

const STAGES = ['Hearing about it', 'First visit', 'Regular sessions', 'Moving on'];

/**
 * Blueprints' part of `parent-mutual demo load`: a current and a future blueprint of one demo
 * service of the audit (a stay-and-play group when there is one; none when the audit's demo has
 * not run: skipped, no error), with pain points, ideas and two comments from demo members.
 * Every row has `is_demo`; clear removes exactly those.
 */
export async function loadBlueprintsDemo({ db, tenant }: DemoContext): Promise<number> {
  const [existing] = await db.select({ id: bpBlueprints.id }).from(bpBlueprints).where(and(eq(bpBlueprints.tenantId, tenant.id), eq(bpBlueprints.isDemo, true))).limit(1);
  if (existing) return 0;
  const services = (await serviceCards(db, tenant.id)).filter((s) => s.isDemo);
  const service = services.find((s) => /stay|play|baby|toddler/i.test(s.name)) ?? services[0];
  if (!service) return 0;
  const people = (await activeMembersWithRoles(db, tenant.id)).filter((m) => m.isDemo);
  const editor = people.find((m) => m.roles.includes('coordinator'));
  const parents = people.filter((m) => !m.roles.some((r) => r !== 'member')).slice(0, 2);
  if (!editor) return 0;
  const actor: Actor = { memberId: editor.id, tenantId: tenant.id, roles: new Set(editor.roles), sessionId: 'demo' };
  const t = translator('en' as Locale);
  const currentId = await createBlueprint(db, actor, { serviceId: service.id, kind: 'current', title: t('bp.demo.current'), stages: STAGES, laneTitles: laneTitles(t), isDemo: true });
  const edit = async (id: string, f: (bp: Blueprint) => Parameters<typeof editBlueprint>[4]) => {
    const bp = await blueprintById(db, tenant.id, id);
    if (bp) await editBlueprint(db, actor, id, bp.version, f(bp));
  };
  const at = (bp: Blueprint, stage: number, lane: number) => ({ stageId: bp.content.stages[stage]!.id, laneId: bp.content.lanes[lane]!.id });
  const texts: Array<[number, number, string]> = [
    [0, 0, 'A leaflet at the GP surgery; nothing online in Polish'],
    [0, 1, 'A friend mentions the group at the school gate'],
    [1, 1, 'Finds the door locked, waits outside with the buggy'],
    [1, 2, 'Volunteer welcomes, takes first name only'],
    [2, 2, 'Same two staff each week; songs and messy play'],
    [2, 3, 'Register typed up on Monday; referrals passed by email'],
    [3, 2, 'Told about the nursery offer in the last week'],
    [3, 4, 'No follow-up once a family stops coming'],
  ];
  for (const [s, l, text] of texts) await edit(currentId, (bp) => ({ op: 'cell.edit', ...at(bp, s, l), text }));
  await edit(currentId, (bp) => ({ op: 'mark.add', ...at(bp, 1, 1), kind: 'pain', note: 'Doors open late; families give up' }));
  await edit(currentId, (bp) => ({ op: 'mark.add', ...at(bp, 3, 4), kind: 'pain', note: 'Families drop off unseen' }));
  await edit(currentId, (bp) => ({ op: 'mark.add', ...at(bp, 0, 0), kind: 'idea', note: 'Parents write the leaflet, in three languages' }));
  const futureId = await createBlueprint(db, actor, { serviceId: service.id, kind: 'future', title: t('bp.demo.future'), fromId: currentId, laneTitles: laneTitles(t), isDemo: true });
  await edit(futureId, (bp) => ({ op: 'cell.edit', ...at(bp, 1, 1), text: 'A parent volunteer opens up ten minutes early' }));
  await edit(futureId, (bp) => ({ op: 'cell.edit', ...at(bp, 3, 4), text: 'A text a month later: "we miss you, here is what is on"' }));
  await edit(futureId, () => ({ op: 'stage.add', title: 'Coming back as a volunteer' }));
  const current = await blueprintById(db, tenant.id, currentId);
  let comments = 0;
  if (current) {
    const bodies = ['We stood outside in the rain for twenty minutes the first time and nearly went home.', 'Nobody asked why we stopped coming after the baby was born.'];
    for (const [i, p] of parents.entries()) {
      const parent: Actor = { memberId: p.id, tenantId: tenant.id, roles: new Set(p.roles), sessionId: 'demo' };
      await addComment(db, parent, { blueprintId: currentId, ...(i === 0 ? at(current, 1, 1) : at(current, 3, 4)), body: bodies[i] ?? '', confirmed: true, isDemo: true });
      comments += 1;
    }
  }
  return 2 + comments;
}

export async function clearBlueprintsDemo({ db, tenant }: DemoContext): Promise<number> {
  await db.delete(bpComments).where(and(eq(bpComments.tenantId, tenant.id), eq(bpComments.isDemo, true)));
  const gone = await db.delete(bpBlueprints).where(and(eq(bpBlueprints.tenantId, tenant.id), eq(bpBlueprints.isDemo, true))).returning({ id: bpBlueprints.id });
  return gone.length;
}

export const blueprintsDemo = { name: 'blueprints', load: loadBlueprintsDemo, clear: clearBlueprintsDemo } satisfies DemoPart;
