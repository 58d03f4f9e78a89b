import type { Translate } from '../../ui/i18n/index.ts';
import type { AnswerTable } from './answers.ts';
import type { Compared } from './scenario.ts';

/** Scenarios compared side by side (one row each, the baselines first of their period): one table for the page, chart and PDF. */
export function comparisonTable(t: Translate, rows: readonly Compared[], periodText: (c: Compared) => string): AnswerTable {
  const share = (a: number, b: number) => (b > 0 ? (a / b) * 100 : null);
  return {
    name: 'scenarios',
    columns: [
      { label: t('res.answers.scenario.col.scenario'), kind: 'text' },
      { label: t('res.answers.scenario.col.period'), kind: 'text' },
      { label: t('res.answers.col.spend'), kind: 'money' },
      { label: t('res.answers.scenario.col.spendChange'), kind: 'money' },
      { label: t('res.answers.col.families'), kind: 'int' },
      { label: t('res.answers.scenario.col.familiesChange'), kind: 'int' },
      { label: t('res.answers.scenario.col.earlySpend'), kind: 'money' },
      { label: t('res.answers.scenario.col.earlyShare'), kind: 'percent' },
      { label: t('res.answers.scenario.col.acuteSpend'), kind: 'money' },
      { label: t('res.answers.scenario.col.earlyFamilies'), kind: 'int' },
      { label: t('res.answers.scenario.col.acuteFamilies'), kind: 'int' },
    ],
    rows: rows.map((c) => {
      const p = c.projection;
      const fam = Math.round(p.families);
      return {
        values: [c.label, periodText(c), p.pence, p.pence - c.baseline.pence, fam, fam - Math.round(c.baseline.families), p.early.pence, share(p.early.pence, p.pence), p.acute.pence, Math.round(p.early.families), Math.round(p.acute.families)],
        ...(c.id ? { href: `/resources/scenarios/${c.id}` } : {}),
      };
    }),
    chart: { label: 0, value: 2 },
    notes: [],
    demo: false,
    exact: true,
  };
}
