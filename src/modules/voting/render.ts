/**
 * Text for the CLI, in English or Polish (wording in i18n.ts). The web UI will translate the
 * structured data instead; this is the one place sentences are built. English output is kept
 * byte for byte as it was (plain digits, no grouping); Polish numbers use pl-PL formatting.
 */
import type { Rational } from '../../lib/rational.ts';
import type { Locale } from '../../ui/i18n/index.ts';
import type { OutcomeSummary, ProjectExplanation, VoterExplanation } from './explain.ts';
import { votingText, type VotingKey, type VotingText } from './i18n.ts';
import type { CountResult } from './rules.ts';

interface Words {
  /** Named apart from the web `t` so the web catalogue test does not look these keys up. */
  vt: VotingText;
  money: (r: Rational) => string;
  int: (n: number) => string;
  /** A known option value (rule, phase, …) in words; anything unknown is shown as given. */
  word: (prefix: string, value: string) => string;
}

// Intl formatters are costly to build: one per locale, made on first use.
const formats = new Map<Locale, { money: Intl.NumberFormat; int: Intl.NumberFormat }>();

function words(locale: Locale): Words {
  const vt = votingText(locale);
  const word = (prefix: string, value: string): string => {
    const key = `${prefix}.${value}` as VotingKey;
    const text = vt(key);
    return text === undefined ? value : text;
  };
  if (locale === 'en') return { vt, money: (r) => r.toDecimal(2), int: (n) => String(n), word };
  let f = formats.get(locale);
  if (!f) {
    f = { money: new Intl.NumberFormat('pl-PL', { minimumFractionDigits: 2, maximumFractionDigits: 2 }), int: new Intl.NumberFormat('pl-PL') };
    formats.set(locale, f);
  }
  const { money, int } = f;
  // The decimal string keeps every digit of an exact rational (format() takes it as a decimal).
  return { vt, money: (r) => money.format(r.toDecimal(2) as `${number}`), int: (n) => int.format(n), word };
}

export function renderParams(r: CountResult, locale: Locale = 'en'): string {
  return params(r, words(locale));
}

function params(r: CountResult, w: Words): string {
  const { vt, word } = w;
  const p = r.params;
  const parts = [vt('params.rule', { rule: word('rule', p.rule) })];
  if (p.rule === 'mes') {
    parts.push(vt('params.utility', { utility: word('utility', p.utility) }));
    const c: string[] = [];
    if (p.completion.add1) {
      const a = p.completion.add1;
      c.push(vt('params.add1', { name: word('completion', a.stopWhenExhaustive ? 'add1-exhaustive' : 'add1'), start: word('start', a.start), step: a.step.toString() }));
    }
    if (p.completion.utilitarian) c.push(vt('completion.utilitarian'));
    parts.push(vt('params.completion', { list: c.length ? c.join(vt('params.completion.then')) : vt('params.completion.none') }));
    parts.push(vt('params.comparison', { state: vt(p.comparison ? 'params.on' : 'params.off') }));
  } else if (p.threshold) {
    if (p.threshold.minScore) parts.push(vt('params.threshold', { score: p.threshold.minScore.toString() }));
    if (p.threshold.minShare) parts.push(vt('params.threshold.share', { share: p.threshold.minShare.toString() }));
  }
  parts.push(vt('params.tieBreak', { keys: p.tieBreak.map((k) => word('key', k)).join(vt('params.tieBreak.sep')) }));
  return parts.join(vt('params.sep'));
}

export function renderCount(r: CountResult, projects: ProjectExplanation[], locale: Locale = 'en'): string {
  const w = words(locale);
  const { vt, money, int, word } = w;
  const lines: string[] = [];
  lines.push(vt('count.budget', { budget: money(r.instance.budget), voters: int(r.instance.voters), projects: int(r.instance.projects), voteType: word('voteType', r.instance.voteType) }));
  lines.push(vt('count.params', { params: params(r, w) }));
  if (r.perVoterBudget) {
    const add1 = r.add1 ? vt('count.share.add1', { runs: int(r.add1.runs), reason: word('stop', r.add1.stoppedBecause) }) : '';
    lines.push(vt('count.share', { share: money(r.perVoterBudget), add1 }));
  }
  if (r.add1?.stoppedBecause === 'run-cap') lines.push(vt('count.add1.cap', { runs: int(r.add1.runs), step: '--add1-step', auto: '--add1-step auto', cap: '--add1-max-runs' }));
  // Cardinal is the utility people misread (pabutools' "cardinality" counts choices): say what it is.
  if (r.utilityMeaning && r.params.utility === 'cardinal') lines.push(vt('count.utility', { utility: word('utility', r.params.utility), meaning: vt(`meaning.${r.utilityMeaning}`, { other: 'cardinality', tool: 'pabutools' }) }));
  if (r.comparison) {
    const decision = vt(r.comparison.switchedToGreedy ? 'count.comparison.switched' : 'count.comparison.kept');
    lines.push(vt('count.comparison', { mes: int(r.comparison.preferMes), greedy: int(r.comparison.preferGreedy), decision }));
  }
  lines.push('');
  lines.push(vt('count.funded', { count: int(r.winners.length), cost: money(r.totalCost) }));
  const byId = new Map(projects.map((p) => [p.project, p]));
  const name = (e: ProjectExplanation | undefined, id: string): string => (e?.name && e.name !== id ? vt('count.project.name', { name: e.name }) : '');
  // Cumulative / scoring ballots are ranked by points: show the points, and say so.
  const points = r.instance.voteType === 'cumulative' || r.instance.voteType === 'scoring';
  const project = (id: string, e: ProjectExplanation | undefined): string =>
    points && e
      ? vt('count.project.points', { id, name: name(e, id), cost: money(e.cost), points: money(e.score).replace(/[.,]00$/, ''), supporters: int(e.supporters) })
      : vt('count.project', { id, name: name(e, id), cost: e ? money(e.cost) : '?', supporters: int(e?.supporters ?? 0) });
  const reason = (e: ProjectExplanation): string =>
    points && (e.reason === 'funded-greedy' || e.reason === 'funded-completion') ? vt(`reason.${e.reason}.points`) : vt(`reason.${e.reason}`);
  r.winners.forEach((id, k) => {
    const e = byId.get(id);
    lines.push(`  ${int(k + 1)}. ${project(id, e)}`);
    if (e) lines.push(`     ${reason(e)}${detail(e, w)}`);
  });
  const losers = projects.filter((p) => !p.funded);
  if (losers.length) {
    lines.push('');
    lines.push(vt('count.notFunded', { count: int(losers.length) }));
    for (const e of losers) {
      lines.push(`  ${project(e.project, e)}`);
      lines.push(`     ${reason(e)}${detail(e, w)}`);
    }
  }
  if (r.ties.length) {
    lines.push('');
    lines.push(vt('count.ties'));
    for (const tie of r.ties) {
      lines.push(`  ${vt('count.tie', { projects: tie.projects.join(vt('count.list.sep')), phase: word('phase', tie.phase), chosen: tie.chosen || (tie.projects[0] ?? ''), key: word('key', tie.decidedBy) })}`);
    }
  }
  return lines.join('\n');
}

function detail(e: ProjectExplanation, w: Words): string {
  const { vt, money, int } = w;
  if (e.payments?.length) {
    const parts = e.payments.slice(0, 4).map((p) => vt(p.voters === 1 ? 'detail.paid.one' : 'detail.paid', { voters: int(p.voters), amount: money(p.amount) }));
    return ` (${parts.join('; ')}${e.payments.length > 4 ? '; …' : ''})`;
  }
  if (e.shortfall) return vt('detail.short', { had: money(e.supportersMoney ?? e.cost), short: money(e.shortfall) });
  if (e.leftWhenConsidered && !e.funded) return vt('detail.left', { left: money(e.leftWhenConsidered) });
  return '';
}

/** "Where your share went" for one voter, two lines at most. */
export function renderVoter(v: VoterExplanation, locale: Locale = 'en'): string[] {
  const { vt, money } = words(locale);
  const sep = vt('count.list.sep');
  const lines = [vt('voter.chose', { voter: v.voter, choices: v.choices.join(sep) || vt('voter.nothing'), funded: v.fundedChoices.join(sep) || vt('voter.none') })];
  if (v.share) {
    const payments = (v.payments ?? []).map((p) => vt('voter.payment', { amount: money(p.amount), project: p.project })).join(sep) || vt('voter.nowhere');
    lines.push(vt('voter.share', { share: money(v.share), payments, unspent: v.unspent ? money(v.unspent) : '0' }));
  }
  return lines;
}

export function renderComparison(rows: OutcomeSummary[], voters: number, locale: Locale = 'en'): string {
  const { vt, money, int, word } = words(locale);
  const lines: string[] = [];
  const labels = { funded: vt('compare.funded'), cost: vt('compare.cost'), none: vt('compare.none'), average: vt('compare.average') };
  // 28 columns fit the English labels; longer (Polish) labels widen the first column.
  const first = Math.max(28, ...Object.values(labels).map((l) => l.length + 2));
  const pad = (s: string, n: number): string => s.padEnd(n);
  const label = (r: OutcomeSummary): string => word('compare.label', r.label);
  lines.push(`${pad('', first)}${rows.map((r) => pad(label(r), 22)).join('')}`);
  lines.push(`${pad(labels.funded, first)}${rows.map((r) => pad(int(r.winners.length), 22)).join('')}`);
  lines.push(`${pad(labels.cost, first)}${rows.map((r) => pad(money(r.totalCost), 22)).join('')}`);
  lines.push(`${pad(labels.none, first)}${rows.map((r) => pad(vt('compare.noneOf', { none: int(r.votersWithNone), voters: int(voters) }), 22)).join('')}`);
  lines.push(`${pad(labels.average, first)}${rows.map((r) => pad(money(r.averageFundedChoices), 22)).join('')}`);
  lines.push('');
  for (const r of rows) lines.push(`${label(r)}: ${r.winners.join(', ')}`);
  return lines.join('\n');
}
