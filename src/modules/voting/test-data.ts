/**
 * Where the tests and benchmarks find the shared real data (never copied into the repo):
 * $SHARED_DATA_DIR, else ../shared/data next to the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePb } from './pabulib.ts';
import type { Instance } from './instance.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const SHARED_DATA_DIR = process.env['SHARED_DATA_DIR'] ?? path.resolve(repoRoot, '../shared/data');
export const PABULIB_DIR = path.join(SHARED_DATA_DIR, 'pabulib');
export const ABCVOTING_DIR = path.join(SHARED_DATA_DIR, 'abcvoting');
export const hasPabulib = existsSync(path.join(PABULIB_DIR, 'GREEDY_CHECKS.tsv'));
export const hasAbcvoting = existsSync(ABCVOTING_DIR);

export function loadPb(file: string): Instance {
  return parsePb(readFileSync(path.join(PABULIB_DIR, file), 'utf8'));
}

/** Rows of GREEDY_CHECKS.tsv as objects keyed by the header. */
export function greedyChecks(): Record<string, string>[] {
  const lines = readFileSync(path.join(PABULIB_DIR, 'GREEDY_CHECKS.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const head = (lines[0] ?? '').split('\t');
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    return Object.fromEntries(head.map((h, k) => [h, cells[k] ?? '']));
  });
}
