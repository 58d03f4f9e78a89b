import { addDays } from '../../lib/dates.ts';
import type { AttendanceMode, QuorumKind } from './schema.ts';

/**
 * Quorum, pure: a number of people, or a share (percent) of those entitled, rounded up. Members
 * with a declared interest in the item (`excluding`) are left out of both counts. A proxy counts
 * for the absent member it stands for when its holder is present and not excluded.
 */
export interface QuorumRule {
  kind: QuorumKind;
  value: number;
}

export interface AttendanceEntry {
  memberId: string;
  mode: AttendanceMode;
  proxyHolderId?: string | null;
}

export interface QuorumResult {
  entitled: number;
  present: number;
  required: number;
  quorate: boolean;
}

/** How many must be present: a number (never more than are entitled… unless the rules say so), or ⌈share × entitled⌉, at least 1. */
export function requiredFor(rule: QuorumRule, entitled: number): number {
  if (rule.kind === 'number') return Math.max(1, rule.value);
  // Integer arithmetic: ⌈value × entitled / 100⌉ without floating-point drift.
  return Math.max(1, Math.ceil((rule.value * entitled) / 100));
}

export function computeQuorum(input: { rule: QuorumRule; entitled: number; entitledIds?: readonly string[]; attendance: readonly AttendanceEntry[]; excluding?: readonly string[] }): QuorumResult {
  const excluded = new Set(input.excluding ?? []);
  const entitledSet = input.entitledIds ? new Set(input.entitledIds) : null;
  const isEntitled = (id: string) => !entitledSet || entitledSet.has(id);
  const here = new Set(input.attendance.filter((a) => (a.mode === 'in_person' || a.mode === 'online') && isEntitled(a.memberId)).map((a) => a.memberId));
  let present = 0;
  for (const id of here) if (!excluded.has(id)) present++;
  for (const a of input.attendance) {
    if (a.mode !== 'proxy' || !a.proxyHolderId || excluded.has(a.memberId) || !isEntitled(a.memberId)) continue;
    if (here.has(a.proxyHolderId) && !excluded.has(a.proxyHolderId)) present++;
  }
  const excludedEntitled = entitledSet ? [...excluded].filter((id) => entitledSet.has(id)).length : excluded.size;
  const entitled = Math.max(0, input.entitled - excludedEntitled);
  const required = requiredFor(input.rule, entitled);
  return { entitled, present, required, quorate: present >= required };
}

/** Clear days between two calendar dates (neither the day of notice nor the day of the meeting counts). */
export function clearDaysBetween(noticeOn: string, meetingOn: string): number {
  const a = Date.parse(`${noticeOn}T00:00:00Z`);
  const b = Date.parse(`${meetingOn}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000) - 1;
}

/** The earliest meeting date with `days` clear days' notice given on `noticeOn`. */
export function earliestMeetingDate(noticeOn: string, days: number): string {
  return addDays(noticeOn, days + 1);
}
