/**
 * Plain-English text for the CLI. The web UI will translate the structured data instead;
 * this is the one place sentences are built.
 */
import type { Rational } from '../../lib/rational.ts';
import type { OutcomeSummary, ProjectExplanation, ProjectReason } from './explain.ts';
import type { CountResult } from './rules.ts';

const money = (r: Rational): string => r.toDecimal(2);

const REASON: Record<ProjectReason, string> = {
  'funded-mes': 'funded: its supporters paid for it from their equal shares',
  'funded-free': 'funded: it costs nothing',
  'funded-greedy': 'funded: it came up in vote order while enough money was left',
  'funded-completion': 'funded from the money left over, in vote order',
  'funded-comparison': 'funded: more voters preferred the greedy outcome, which includes it',
  'not-funded-no-support': 'not funded: nobody voted for it',
  'not-funded-supporters-short': "not funded: its supporters' remaining money fell short of its cost",
  'not-funded-did-not-fit': 'not funded: it cost more than the money left when it came up',
  'not-funded-not-reached': 'not funded: counting stopped before it came up',
  'not-funded-comparison': 'not funded: more voters preferred the greedy outcome, which leaves it out',
};

export function renderParams(r: CountResult): string {
  const p = r.params;
  const parts = [`rule ${p.rule}`];
  if (p.rule === 'mes') {
    parts.push(`utility ${p.utility}`);
    const c: string[] = [];
    if (p.completion.add1) {
      c.push(`${p.completion.add1.stopWhenExhaustive ? 'add1-exhaustive' : 'add1'} (start ${p.completion.add1.start}, step ${p.completion.add1.step.toString()})`);
    }
    if (p.completion.utilitarian) c.push('utilitarian');
    parts.push(`completion ${c.length ? c.join(' then ') : 'none'}`);
    parts.push(`comparison ${p.comparison ? 'on' : 'off'}`);
  }
  parts.push(`tie-break ${p.tieBreak.join(',')}`);
  return parts.join('; ');
}

export function renderCount(r: CountResult, projects: ProjectExplanation[]): string {
  const lines: string[] = [];
  lines.push(`Budget ${money(r.instance.budget)}, ${r.instance.voters} voters, ${r.instance.projects} projects (${r.instance.voteType} ballots).`);
  lines.push(`Counted with: ${renderParams(r)}.`);
  if (r.perVoterBudget) lines.push(`Each voter's share: ${money(r.perVoterBudget)}${r.add1 ? ` (raised by add1 over ${r.add1.runs} runs; stopped: ${r.add1.stoppedBecause})` : ''}.`);
  if (r.comparison) {
    lines.push(`Comparison step: ${r.comparison.preferMes} voters prefer the MES outcome, ${r.comparison.preferGreedy} prefer greedy; ${r.comparison.switchedToGreedy ? 'switched to greedy' : 'kept MES'}.`);
  }
  lines.push('');
  lines.push(`Funded (${r.winners.length}), total cost ${money(r.totalCost)}:`);
  const byId = new Map(projects.map((p) => [p.project, p]));
  r.winners.forEach((id, k) => {
    const e = byId.get(id);
    lines.push(`  ${k + 1}. ${id} ${e?.name && e.name !== id ? `"${e.name}" ` : ''}cost ${e ? money(e.cost) : '?'}, ${e?.supporters ?? 0} supporters`);
    if (e) lines.push(`     ${REASON[e.reason]}${detail(e)}`);
  });
  const losers = projects.filter((p) => !p.funded);
  if (losers.length) {
    lines.push('');
    lines.push(`Not funded (${losers.length}):`);
    for (const e of losers) {
      lines.push(`  ${e.project} ${e.name !== e.project ? `"${e.name}" ` : ''}cost ${money(e.cost)}, ${e.supporters} supporters`);
      lines.push(`     ${REASON[e.reason]}${detail(e)}`);
    }
  }
  if (r.ties.length) {
    lines.push('');
    lines.push('Ties broken:');
    for (const t of r.ties) {
      lines.push(`  ${t.projects.join(', ')} were tied (${t.phase}); ${t.chosen || t.projects[0]} went first, decided by ${t.decidedBy}.`);
    }
  }
  return lines.join('\n');
}

function detail(e: ProjectExplanation): string {
  if (e.payments?.length) {
    const parts = e.payments.slice(0, 4).map((p) => `${p.voters} paid ${money(p.amount)}`);
    return ` (${parts.join('; ')}${e.payments.length > 4 ? '; …' : ''})`;
  }
  if (e.shortfall) return ` (they had ${money(e.supportersMoney ?? e.cost)} left, ${money(e.shortfall)} short)`;
  if (e.leftWhenConsidered && !e.funded) return ` (${money(e.leftWhenConsidered)} was left)`;
  return '';
}

export function renderComparison(rows: OutcomeSummary[], voters: number): string {
  const lines: string[] = [];
  const pad = (s: string, n: number): string => s.padEnd(n);
  lines.push(`${pad('', 28)}${rows.map((r) => pad(r.label, 22)).join('')}`);
  lines.push(`${pad('projects funded', 28)}${rows.map((r) => pad(String(r.winners.length), 22)).join('')}`);
  lines.push(`${pad('total cost', 28)}${rows.map((r) => pad(money(r.totalCost), 22)).join('')}`);
  lines.push(`${pad('voters with none funded', 28)}${rows.map((r) => pad(`${r.votersWithNone} of ${voters}`, 22)).join('')}`);
  lines.push(`${pad('avg choices funded', 28)}${rows.map((r) => pad(r.averageFundedChoices.toDecimal(2), 22)).join('')}`);
  lines.push('');
  for (const r of rows) lines.push(`${r.label}: ${r.winners.join(', ')}`);
  return lines.join('\n');
}
