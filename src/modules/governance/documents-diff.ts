import { diffLines, diffWords } from 'diff';

/**
 * The difference between two versions of a document (jsdiff): line by line, and inside a line that
 * was changed (removed then added), word by word. Pure: the page renders `<ins>` / `<del>` with a
 * text label from this.
 */
export type DiffPart = { type: 'same' | 'ins' | 'del'; text: string };
export type DiffBlock = { kind: 'same' | 'ins' | 'del' | 'changed'; parts: DiffPart[] };

const lines = (s: string) => s.replace(/\r\n?/g, '\n');

export function diffVersions(before: string, after: string): { blocks: DiffBlock[]; added: number; removed: number } {
  const changes = diffLines(lines(before), lines(after));
  const blocks: DiffBlock[] = [];
  let added = 0;
  let removed = 0;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    const next = changes[i + 1];
    if (c.removed && next?.added) {
      // A changed run of lines: show the words that changed inside it.
      const parts: DiffPart[] = diffWords(c.value, next.value).map((w) => ({ type: w.added ? 'ins' : w.removed ? 'del' : 'same', text: w.value }));
      for (const p of parts) if (p.type === 'ins') added++;
      else if (p.type === 'del') removed++;
      blocks.push({ kind: 'changed', parts });
      i++;
      continue;
    }
    if (c.added) added++;
    if (c.removed) removed++;
    blocks.push({ kind: c.added ? 'ins' : c.removed ? 'del' : 'same', parts: [{ type: c.added ? 'ins' : c.removed ? 'del' : 'same', text: c.value }] });
  }
  return { blocks, added, removed };
}
