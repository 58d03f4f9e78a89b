import { and, eq } from 'drizzle-orm';
import { addDays, isoDate } from '../../lib/dates.ts';
import { newId } from '../../lib/ids.ts';
import type { DemoContext, DemoPart } from '../../server/demo.ts';
import { demoMembers } from '../membership/views.ts';
import { insertDecision } from './decisions.ts';
import { govDecisions, govDocuments, govDocumentVersions, govMotions, type RecordRef } from './schema.ts';
import { decide, ruleText } from './thresholds.ts';

/**
 * Motions' part of `parent-mutual demo load` (labelled, idempotent, clearable): decided members'
 * motions with their register entries, adopting gov-core's demo policies where their adopted
 * versions exist (found by kind), otherwise three resolutions of its own; and one secret online
 * ballot open for members for two weeks. Written directly (closed, with figures): the demo's
 * policy versions are already adopted, so no `onDecided` runs.
 */
const OWN = [
  { title: 'Membership is free for parents and carers', titlePl: 'Członkostwo jest bezpłatne dla rodziców i opiekunów', body: 'That membership of the mutual is free for every parent and carer living or working in the area.', bodyPl: 'Że członkostwo w stowarzyszeniu jest bezpłatne dla każdego rodzica i opiekuna mieszkającego lub pracującego w okolicy.', kind: 'ordinary' as const, votes: [41, 3, 2] as const },
  { title: 'Adopt the rules of the society', titlePl: 'Przyjęcie statutu stowarzyszenia', body: 'That the mutual adopts the rules of the society as circulated with the notice of the meeting.', bodyPl: 'Że stowarzyszenie przyjmuje statut w brzmieniu rozesłanym z zawiadomieniem o zebraniu.', kind: 'special' as const, votes: [38, 4, 5] as const },
  { title: 'Hold the AGM in the evening', titlePl: 'AGM wieczorem', body: 'That the annual general meeting starts at 6.30pm so that working parents can come.', bodyPl: 'Że doroczne walne zebranie zaczyna się o 18:30, aby mogli przyjść pracujący rodzice.', kind: 'ordinary' as const, votes: [12, 19, 6] as const },
];

export async function loadMotionsDemo({ db, tenant, today }: DemoContext): Promise<number> {
  const existing = await db.select({ id: govMotions.id }).from(govMotions).where(and(eq(govMotions.tenantId, tenant.id), eq(govMotions.isDemo, true))).limit(1);
  if (existing.length) return 0;
  const people = await demoMembers(db, tenant.id);
  if (people.length < 2) return 0;
  const adopted = await db
    .select({ id: govDocumentVersions.id, version: govDocumentVersions.version, adoptedOn: govDocumentVersions.adoptedOn, title: govDocuments.title, titlePl: govDocuments.titlePl, slug: govDocuments.slug, kind: govDocuments.kind })
    .from(govDocumentVersions)
    .innerJoin(govDocuments, and(eq(govDocuments.tenantId, govDocumentVersions.tenantId), eq(govDocuments.id, govDocumentVersions.documentId)))
    .where(and(eq(govDocumentVersions.tenantId, tenant.id), eq(govDocuments.isDemo, true), eq(govDocumentVersions.status, 'adopted')));
  const day = isoDate(today);
  const items = adopted.length
    ? adopted.map((v, i) => ({
        title: `Adopt ${v.title} (version ${v.version})`,
        titlePl: `Przyjęcie: ${v.titlePl ?? v.title} (wersja ${v.version})`,
        body: `That the mutual adopts ${v.title}, version ${v.version}.`,
        bodyPl: `Że stowarzyszenie przyjmuje: ${v.titlePl ?? v.title}, wersja ${v.version}.`,
        kind: v.kind === 'rules' ? ('special' as const) : ('ordinary' as const),
        votes: [30 + i * 3, 2 + (i % 3), 1 + (i % 2)] as const,
        decidedOn: v.adoptedOn ?? addDays(day, -30 - i),
        ref: { kind: 'policy_version', id: v.id, label: `${v.title} v${v.version}`, href: `/governance/documents/${v.slug}/versions/${v.version}` } as RecordRef | null,
      }))
    : OWN.map((o, i) => ({ ...o, decidedOn: addDays(day, -60 + i * 14), ref: null as RecordRef | null }));
  let added = 0;
  await db.transaction(async (tx) => {
    for (const [i, it] of items.entries()) {
      const proposer = people[i % people.length]!;
      const seconder = people[(i + 1) % people.length]!;
      const thresholdPct = it.kind === 'special' ? 75 : 50;
      const d = decide({ kind: it.kind, thresholdPct, for: it.votes[0], against: it.votes[1], abstain: it.votes[2] });
      const id = newId();
      const decidedAt = new Date(`${it.decidedOn}T19:30:00Z`);
      await tx.insert(govMotions).values({
        tenantId: tenant.id,
        id,
        title: it.title,
        titlePl: it.titlePl,
        body: it.body,
        bodyPl: it.bodyPl,
        kind: it.kind,
        thresholdPct,
        voting: 'secret_online',
        electorate: 'members',
        proposerId: proposer.id,
        proposerName: proposer.name,
        seconderId: seconder.id,
        seconderName: seconder.name,
        refersKind: it.ref?.kind ?? null,
        refersId: it.ref?.id ?? null,
        refersLabel: it.ref?.label ?? null,
        refersHref: it.ref?.href ?? null,
        opensAt: new Date(decidedAt.getTime() - 14 * 86_400_000),
        closesAt: decidedAt,
        status: 'closed',
        votesFor: d.for,
        votesAgainst: d.against,
        abstentions: d.abstain,
        conflictedCount: i === 0 ? 1 : 0,
        outcome: d.outcome,
        decidedAt,
        isDemo: true,
      });
      const refs: RecordRef[] = [...(it.ref ? [it.ref] : []), { kind: 'motion', id, label: it.title, href: `/governance/motions/${id}` }];
      await insertDecision(tx, tenant.id, {
        decidedOn: it.decidedOn,
        kind: it.ref ? 'policy_adoption' : 'resolution',
        title: it.title,
        titlePl: it.titlePl,
        summary: it.body + (i === 0 ? '\n\n1 member did not vote because of a declared interest.' : ''),
        summaryPl: it.bodyPl + (i === 0 ? '\n\nJedna osoba nie głosowała z powodu zgłoszonego konfliktu interesów.' : ''),
        motionId: id,
        outcome: d.outcome,
        votesFor: d.for,
        votesAgainst: d.against,
        abstentions: d.abstain,
        rule: ruleText(it.kind, thresholdPct),
        refs,
        isDemo: true,
      });
      added += 2;
    }
    const proposer = people[0]!;
    const seconder = people[1]!;
    await tx.insert(govMotions).values({
      tenantId: tenant.id,
      id: newId(),
      title: 'A parents’ forum in every ward',
      titlePl: 'Forum rodziców w każdym okręgu',
      body: 'That the board sets up a parents’ forum in every ward within a year, meeting at least each term.',
      bodyPl: 'Że zarząd w ciągu roku utworzy forum rodziców w każdym okręgu, spotykające się co najmniej raz w semestrze.',
      kind: 'ordinary',
      thresholdPct: 50,
      voting: 'secret_online',
      electorate: 'members',
      proposerId: proposer.id,
      proposerName: proposer.name,
      seconderId: seconder.id,
      seconderName: seconder.name,
      opensAt: new Date(today.getTime() - 86_400_000),
      closesAt: new Date(today.getTime() + 14 * 86_400_000),
      status: 'open',
      isDemo: true,
    });
    added++;
  });
  return added;
}

export async function clearMotionsDemo({ db, tenant }: DemoContext): Promise<number> {
  return db.transaction(async (tx) => {
    const decisions = await tx.delete(govDecisions).where(and(eq(govDecisions.tenantId, tenant.id), eq(govDecisions.isDemo, true))).returning({ id: govDecisions.id });
    // Register entries of real decisions never point at demo motions (demo motions close only in the demo).
    const motions = await tx.delete(govMotions).where(and(eq(govMotions.tenantId, tenant.id), eq(govMotions.isDemo, true))).returning({ id: govMotions.id });
    return decisions.length + motions.length;
  });
}

export const motionsDemo: DemoPart = { name: 'governance motions and decisions', load: loadMotionsDemo, clear: clearMotionsDemo };
