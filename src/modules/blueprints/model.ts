import { newId } from '../../lib/ids.ts';
import { MARK_KINDS, type BpCell, type BpContent, type BpLane, type BpStage, type MarkKind } from './schema.ts';

/** The five standard lanes, top to bottom (renameable; their keys stay). */
export const STANDARD_LANES = ['evidence', 'family', 'front', 'back', 'support'] as const;
export type StandardLane = (typeof STANDARD_LANES)[number];

export const LIMITS = { title: 120, cell: 2000, note: 300, stages: 40, lanes: 12, marksPerCell: 10, comment: 2000 } as const;

/** A change to a blueprint, as the forms (and the client script, posting the same forms) send it. */
export type BpOp =
  | { op: 'title'; title: string }
  | { op: 'stage.add'; title: string }
  | { op: 'stage.rename'; stageId: string; title: string }
  | { op: 'stage.delete'; stageId: string }
  | { op: 'stage.move'; stageId: string; to: number }
  | { op: 'lane.add'; title: string }
  | { op: 'lane.rename'; laneId: string; title: string }
  | { op: 'lane.delete'; laneId: string }
  | { op: 'lane.move'; laneId: string; to: number }
  | { op: 'cell.edit'; stageId: string; laneId: string; text: string }
  | { op: 'mark.add'; stageId: string; laneId: string; kind: MarkKind; note: string }
  | { op: 'mark.remove'; markId: string };

/** Why an op cannot apply: a field and a message key of the blueprints catalogue. */
export class OpError extends Error {
  constructor(
    readonly field: string,
    readonly key: string,
  ) {
    super(key);
  }
}

export function emptyContent(laneTitles: Record<StandardLane, string>, stageTitles: readonly string[] = []): BpContent {
  return {
    stages: stageTitles.map((title) => ({ id: newId(), title })),
    lanes: STANDARD_LANES.map((key) => ({ id: newId(), key, title: laneTitles[key] })),
    cells: [],
  };
}

/** A copy with new ids for nothing: the future blueprint starts as the current one (same stage and lane ids, so they compare cell by cell). */
export function copyContent(c: BpContent): BpContent {
  return structuredClone(c);
}

function cleanTitle(raw: string, field = 'title'): string {
  const t = raw.replace(/\s+/g, ' ').trim();
  if (!t || t.length > LIMITS.title) throw new OpError(field, 'bp.error.title');
  return t;
}

function move<T>(list: T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  const at = Math.max(0, Math.min(out.length, to));
  if (item !== undefined) out.splice(at, 0, item);
  return out;
}

function cellOf(c: BpContent, stageId: string, laneId: string): BpCell | undefined {
  return c.cells.find((x) => x.stageId === stageId && x.laneId === laneId);
}

function needStage(c: BpContent, id: string): BpStage {
  const s = c.stages.find((x) => x.id === id);
  if (!s) throw new OpError('stageId', 'bp.error.stage');
  return s;
}
function needLane(c: BpContent, id: string): BpLane {
  const l = c.lanes.find((x) => x.id === id);
  if (!l) throw new OpError('laneId', 'bp.error.lane');
  return l;
}

/** Apply one change (pure: answers a new content, or throws OpError naming the field). */
export function applyOp(content: BpContent, op: BpOp, makeId: () => string = newId): { content: BpContent; title?: string } {
  const c = structuredClone(content);
  switch (op.op) {
    case 'title':
      return { content: c, title: cleanTitle(op.title) };
    case 'stage.add':
      if (c.stages.length >= LIMITS.stages) throw new OpError('title', 'bp.error.tooManyStages');
      c.stages.push({ id: makeId(), title: cleanTitle(op.title) });
      break;
    case 'stage.rename':
      needStage(c, op.stageId).title = cleanTitle(op.title);
      break;
    case 'stage.delete':
      needStage(c, op.stageId);
      c.stages = c.stages.filter((s) => s.id !== op.stageId);
      c.cells = c.cells.filter((x) => x.stageId !== op.stageId);
      break;
    case 'stage.move': {
      needStage(c, op.stageId);
      c.stages = move(c.stages, c.stages.findIndex((s) => s.id === op.stageId), op.to);
      break;
    }
    case 'lane.add':
      if (c.lanes.length >= LIMITS.lanes) throw new OpError('title', 'bp.error.tooManyLanes');
      c.lanes.push({ id: makeId(), key: null, title: cleanTitle(op.title) });
      break;
    case 'lane.rename':
      needLane(c, op.laneId).title = cleanTitle(op.title);
      break;
    case 'lane.delete':
      needLane(c, op.laneId);
      if (c.lanes.length <= 1) throw new OpError('laneId', 'bp.error.lastLane');
      c.lanes = c.lanes.filter((l) => l.id !== op.laneId);
      c.cells = c.cells.filter((x) => x.laneId !== op.laneId);
      break;
    case 'lane.move':
      needLane(c, op.laneId);
      c.lanes = move(c.lanes, c.lanes.findIndex((l) => l.id === op.laneId), op.to);
      break;
    case 'cell.edit': {
      needStage(c, op.stageId);
      needLane(c, op.laneId);
      const text = op.text.replace(/\r\n/g, '\n').trim();
      if (text.length > LIMITS.cell) throw new OpError('text', 'bp.error.cell');
      const cell = cellOf(c, op.stageId, op.laneId);
      if (cell) cell.text = text;
      else if (text) c.cells.push({ stageId: op.stageId, laneId: op.laneId, text, marks: [] });
      c.cells = c.cells.filter((x) => x.text || x.marks.length);
      break;
    }
    case 'mark.add': {
      needStage(c, op.stageId);
      needLane(c, op.laneId);
      if (!(MARK_KINDS as readonly string[]).includes(op.kind)) throw new OpError('kind', 'bp.error.markKind');
      const note = op.note.replace(/\s+/g, ' ').trim();
      if (!note || note.length > LIMITS.note) throw new OpError('note', 'bp.error.note');
      let cell = cellOf(c, op.stageId, op.laneId);
      if (!cell) {
        cell = { stageId: op.stageId, laneId: op.laneId, text: '', marks: [] };
        c.cells.push(cell);
      }
      if (cell.marks.length >= LIMITS.marksPerCell) throw new OpError('note', 'bp.error.tooManyMarks');
      cell.marks.push({ id: makeId(), kind: op.kind, note });
      break;
    }
    case 'mark.remove': {
      const cell = c.cells.find((x) => x.marks.some((m) => m.id === op.markId));
      if (!cell) throw new OpError('markId', 'bp.error.mark');
      cell.marks = cell.marks.filter((m) => m.id !== op.markId);
      c.cells = c.cells.filter((x) => x.text || x.marks.length);
      break;
    }
  }
  return { content: c };
}

export type CellChange = 'added' | 'removed' | 'changed' | 'same';

export interface CompareCell {
  left: BpCell | undefined;
  right: BpCell | undefined;
  change: CellChange;
}
export interface CompareRow {
  lane: { left: BpLane | undefined; right: BpLane | undefined; title: string };
  cells: CompareCell[];
}
export interface Comparison {
  stages: Array<{ left: BpStage | undefined; right: BpStage | undefined; title: string; change: CellChange }>;
  rows: CompareRow[];
  counts: Record<Exclude<CellChange, 'same'>, number>;
}

const norm = (s: string) => s.toLocaleLowerCase().replace(/\s+/g, ' ').trim();

/** Pair items of two lists: the same id first, then `alt` (a key, a title), in the right list's order with left-only items where they stood. */
function pair<T extends { id: string }>(left: T[], right: T[], alts: Array<(x: T) => string | null>): Array<{ left: T | undefined; right: T | undefined }> {
  const used = new Set<string>();
  const matchOf = new Map<string, T>();
  for (const r of right) {
    let l = left.find((x) => x.id === r.id && !used.has(x.id));
    for (const alt of alts) {
      if (l) break;
      const k = alt(r);
      if (k !== null) l = left.find((x) => !used.has(x.id) && alt(x) === k);
    }
    if (l) {
      used.add(l.id);
      matchOf.set(r.id, l);
    }
  }
  const out: Array<{ left: T | undefined; right: T | undefined }> = [];
  const leftOnly = left.filter((l) => !used.has(l.id));
  for (const r of right) out.push({ left: matchOf.get(r.id), right: r });
  // Left-only items go after the paired item that preceded them on the left.
  for (const l of leftOnly) {
    const before = left.slice(0, left.indexOf(l)).reverse().find((x) => used.has(x.id));
    const at = before ? out.findIndex((p) => p.left?.id === before.id) + 1 : 0;
    out.splice(at, 0, { left: l, right: undefined });
  }
  return out;
}

const cellKey = (c: BpCell | undefined) => (c ? JSON.stringify([c.text, c.marks.map((m) => [m.kind, m.note])]) : '');

/** Cell-by-cell differences between two contents (stages by id then title, lanes by id, key, then title). */
export function compareContents(a: BpContent, b: BpContent): Comparison {
  const stages = pair(a.stages, b.stages, [(s) => norm(s.title)]);
  const lanes = pair(a.lanes, b.lanes, [(l) => l.key, (l) => norm(l.title)]);
  const counts = { added: 0, removed: 0, changed: 0 };
  const rows: CompareRow[] = lanes.map((lp) => ({
    lane: { ...lp, title: lp.right?.title ?? lp.left?.title ?? '' },
    cells: stages.map((sp) => {
      const left = lp.left && sp.left ? cellOf(a, sp.left.id, lp.left.id) : undefined;
      const right = lp.right && sp.right ? cellOf(b, sp.right.id, lp.right.id) : undefined;
      const l = cellKey(left);
      const r = cellKey(right);
      const change: CellChange = l === r ? 'same' : !l ? 'added' : !r ? 'removed' : 'changed';
      if (change !== 'same') counts[change] += 1;
      return { left, right, change };
    }),
  }));
  return {
    stages: stages.map((sp) => ({ ...sp, title: sp.right?.title ?? sp.left?.title ?? '', change: !sp.left ? 'added' : !sp.right ? 'removed' : sp.left.title === sp.right.title ? 'same' : 'changed' })),
    rows,
    counts,
  };
}

export function cellAt(c: BpContent, stageId: string, laneId: string): BpCell | undefined {
  return cellOf(c, stageId, laneId);
}
