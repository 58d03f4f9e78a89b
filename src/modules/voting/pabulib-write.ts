/**
 * Writes an instance back in the Pabulib `.pb` format; parsePb(writePb(x)) equals x.
 */
import type { Rational } from '../../lib/rational.ts';
import type { Instance, Project } from './instance.ts';

function quote(v: string): string {
  return /[;"\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes an instance in the .pb format (LF line ends). */
export function writePb(inst: Instance): string {
  const out: string[] = ['META', 'key;value'];
  for (const [k, v] of inst.meta) out.push(`${quote(k)};${quote(v)}`);
  const pCols = inst.projectColumns.length ? inst.projectColumns : ['project_id', 'cost', 'name'];
  out.push('PROJECTS', pCols.map(quote).join(';'));
  for (const p of inst.projects) {
    out.push(pCols.map((c) => quote(projectField(p, c))).join(';'));
  }
  const hasPoints = inst.voteType === 'cumulative' || inst.voteType === 'scoring';
  let vCols = inst.voteColumns.length ? inst.voteColumns : ['voter_id', 'vote'];
  if (hasPoints && !vCols.includes('points')) vCols = [...vCols, 'points'];
  out.push('VOTES', vCols.map(quote).join(';'));
  for (const b of inst.ballots) {
    out.push(vCols.map((c) => {
      if (c === 'voter_id') return quote(b.voterId);
      if (c === 'vote') return quote(b.projects.map((j) => inst.projects[j]?.id ?? '').join(','));
      if (c === 'points') return quote((b.points ?? []).map(formatExact).join(','));
      return quote(b.fields[c] ?? '');
    }).join(';'));
  }
  return out.join('\n') + '\n';
}

function projectField(p: Project, c: string): string {
  if (c === 'project_id') return p.id;
  if (c === 'cost') return formatExact(p.cost);
  if (c in p.fields) return p.fields[c] ?? '';
  if (c === 'name') return p.name;
  if (c === 'category' || c === 'categories') return p.categories.join(',');
  if (c === 'target' || c === 'targets') return p.targets.join(',');
  return '';
}

/** Writes r exactly: as an integer, a terminating decimal, or "a/b". */
function formatExact(r: Rational): string {
  if (r.isInteger()) return r.toString();
  const k = decimalsOf(r);
  return k < 0 ? r.toString() : r.toDecimal(k);
}

/** Number of decimal places needed to write r exactly, or -1 when it does not terminate. */
function decimalsOf(r: { den: bigint }): number {
  let d = r.den;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  return d === 1n ? Math.max(twos, fives) : -1;
}
