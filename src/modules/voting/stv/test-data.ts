/**
 * Where the STV tests and benchmark find the shared real data (never copied into the repo):
 * $SHARED_DATA_DIR/stv, else ../shared/data/stv next to the repository.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SHARED_DATA_DIR } from '../test-data.ts';
import { parseBlt, type Blt } from './blt.ts';

export const STV_DIR = path.join(SHARED_DATA_DIR, 'stv');
export const GLASGOW_DIR = path.join(STV_DIR, 'glasgow2007_droop');
export const SCOT2017_BLT_DIR = path.join(STV_DIR, 'scotland2017_scot-elex_blt');
export const SCOT2017_OFFICIAL_DIR = path.join(STV_DIR, 'scotland2017_council17_official');
export const EDINBURGH_DIR = path.join(STV_DIR, 'edinburgh2017_stvpoll');
export const hasGlasgow = existsSync(path.join(GLASGOW_DIR, 'ref_report'));
export const hasScot2017 = existsSync(SCOT2017_BLT_DIR) && existsSync(SCOT2017_OFFICIAL_DIR);
export const hasEdinburgh = existsSync(path.join(EDINBURGH_DIR, 'official_elected_by_ward_number.json'));

export const skipReason = (dir: string, ok: boolean) => (ok ? '' : ` (skipped: ${dir} not found)`);

export function loadBlt(file: string): Blt {
  return parseBlt(readFileSync(file, 'utf8'));
}

export const filesIn = (dir: string, ext: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort();

/** Droop's reference report: each stage's candidate totals (units are 5 dp strings). */
export interface RefStage {
  action: string;
  votes: Map<string, string>;
}

/**
 * Parse a Droop report: the totals after "Begin Count" and after each completed transfer
 * ("Surplus transferred", "Transfer defeated"). Defeated candidates listed together share a total.
 */
export function parseDroopReport(text: string): { quota: string; elected: string[]; stages: RefStage[] } {
  const quota = /Quota: ([\d.]+)/.exec(text)?.[1] ?? '';
  const stages: RefStage[] = [];
  const blocks = text.split(/\nAction: /).slice(1);
  let final: Map<string, string> | null = null;
  const electedFinal: string[] = [];
  for (const b of blocks) {
    const head = b.split('\n', 1)[0] ?? '';
    const votes = new Map<string, string>();
    for (const line of b.split('\n').slice(1)) {
      const m = /^\t(Elected|Hopeful|Pending|Defeated):\s+(.*) \(([\d.]+)\)$/.exec(line);
      if (!m) continue;
      const names = m[1] === 'Defeated' ? m[2]!.split(', ') : [m[2]!];
      for (const n of names) votes.set(n, m[3]!);
      if (head.startsWith('Count Complete') && m[1] === 'Elected') electedFinal.push(m[2]!);
    }
    if (head.startsWith('Begin Count') || head.startsWith('Surplus transferred') || head.startsWith('Transfer defeated')) stages.push({ action: head, votes });
    if (head.startsWith('Count Complete')) final = votes;
  }
  void final;
  return { quota, elected: electedFinal, stages };
}

/** Lower-case letters and digits only, for matching names across sources. */
export const norm = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

/** Levenshtein distance (short strings). */
function lev(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** A ward name without "Ward 3 -", "… Ward", quotes, "and"/"&". */
export const wardKey = (s: string) =>
  norm(
    s
      .replace(/^"|"$/g, '')
      .replace(/^ward\s*\d+\s*[-–:]?\s*/i, '')
      .replace(/\s+ward$/i, '')
      .replace(/&/g, ' and '),
  ).replace(/and/g, '');

/** scot-elex names are "Firstname SURNAME (Party)": the upper-case words (or the last word). */
function surnameOf(n: string): string {
  const w = n.replace(/\s*\([^)]*\)\s*$/, '').split(/\s+/);
  const up = w.filter((x) => x === x.toUpperCase() && /[A-Z]/.test(x));
  return norm(up.length > 0 && up.length < w.length ? up.join('') : (w[w.length - 1] ?? ''));
}

export interface OfficialCandidate {
  Firstname: string;
  Surname: string;
  Status: string;
}

export interface OfficialWard {
  file: string;
  name: string;
  key: string;
  quota: number;
  valid: number;
  seats: number;
  candidates: OfficialCandidate[];
}

export function loadOfficialWards(): OfficialWard[] {
  return filesIn(SCOT2017_OFFICIAL_DIR, '.json').map((file) => {
    const c = (JSON.parse(readFileSync(path.join(SCOT2017_OFFICIAL_DIR, file), 'utf8')) as { Constituency: { countInfo: Record<string, string | number>; countGroup: Array<OfficialCandidate & { Candidate_Id: string }> } }).Constituency;
    const byId = new Map<string, OfficialCandidate>();
    for (const g of c.countGroup) byId.set(g.Candidate_Id, g); // the last count's status
    const name = String(c.countInfo['Constituency_Name']);
    return {
      file,
      name,
      key: wardKey(name),
      quota: Number(c.countInfo['Quota']),
      valid: Number(c.countInfo['Valid_Poll']),
      seats: Number(c.countInfo['Number_Of_Seats']),
      candidates: [...byId.values()],
    };
  });
}

/**
 * Which of our candidate names an official candidate is: the full name, else the surname
 * (exact, a prefix — "Adamson" / "Adamson-Ross" — or one or two letters apart — "Allan" / "Allen",
 * "Thom" / "Thorn"), first-name initials deciding between equal surnames, then with first name and
 * surname swapped (one council swapped them). −1 when no unique match.
 */
export function matchCandidate(g: OfficialCandidate, names: string[], swapped = false): number {
  const mine = names.map((n) => norm(n.replace(/\s*\([^)]*\)\s*$/, '')));
  const mineSur = names.map(surnameOf);
  const i = mine.indexOf(norm(g.Firstname + g.Surname));
  if (i >= 0) return i;
  const words = `${g.Firstname} ${g.Surname}`.trim().split(/\s+/);
  const sur = norm(g.Surname) || norm(words[words.length - 1] ?? '');
  const fi = norm(words[0] ?? '').slice(0, 3);
  const tries = [(m: string) => m === sur, (m: string) => m.startsWith(sur) || sur.startsWith(m), (m: string) => lev(m, sur) <= 1, (m: string) => sur.length >= 4 && lev(m, sur) <= 2];
  for (const t of tries) {
    let c = mineSur.flatMap((m, k) => (t(m) ? [k] : []));
    if (c.length > 1) c = c.filter((k) => mine[k]!.startsWith(fi));
    if (c.length === 1) return c[0]!;
  }
  return swapped ? -1 : matchCandidate({ ...g, Firstname: g.Surname, Surname: g.Firstname }, names, true);
}

/**
 * The official ward a scot-elex file is: one with the same ward name (several councils share names such
 * as "North East") whose candidates all match ours, else any ward whose candidates all match (a renamed
 * ward). Null when none does.
 */
export function matchWard(title: string, names: string[], wards: OfficialWard[]): OfficialWard | null {
  const key = wardKey(title);
  const full = (o: OfficialWard) => o.candidates.length === names.length && o.candidates.every((g) => matchCandidate(g, names) >= 0);
  const named = wards.filter((o) => o.key === key);
  return named.find(full) ?? wards.filter((o) => o.key !== key && o.candidates.length === names.length).find(full) ?? null;
}
