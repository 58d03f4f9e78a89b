import type { Context } from 'hono';
import { z } from 'zod';
import { escapeCsvCell } from '../../lib/csv.ts';
import { formatDate } from '../../lib/dates.ts';
import { route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, notFound } from '../../server/errors.ts';
import { DemoNotice, DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { Field, TableWrap } from '../../ui/forms.tsx';
import type { Locale, Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { tenantBaseUrl } from '../tenancy/views.ts';
import { DECISION_OUTCOMES, decisionByNumber, decisionYears, listDecisions, type DecisionFilter, type DecisionRow } from './decisions.ts';
import { DECISION_KINDS } from './schema.ts';
import { parseRule } from './thresholds.ts';
import { ruleLine } from './motions-pages.tsx';

const Filter = z.object({
  kind: z.union([z.literal(''), z.enum(DECISION_KINDS)]).optional(),
  year: z.union([z.literal(''), z.coerce.number().int().min(1900).max(2200)]).optional(),
  outcome: z.union([z.literal(''), z.enum(DECISION_OUTCOMES)]).optional(),
  q: z.string().trim().max(100).optional(),
});

function filterOf(c: Context<AppEnv>): DecisionFilter {
  const parsed = Filter.safeParse(c.req.query());
  if (!parsed.success) throw new AppError('validation_failed', 'Filter by a kind, a year, an outcome or words from the list.', [{ field: 'kind', message: 'gov.decisions.error.filter' }], 'gov.decisions.error.filter');
  const f = parsed.data;
  return { kind: f.kind || undefined, year: f.year || undefined, outcome: f.outcome || undefined, q: f.q || undefined };
}

const title = (locale: Locale, d: { title: string; titlePl: string | null }) => (locale === 'pl' && d.titlePl ? d.titlePl : d.title);
const summary = (locale: Locale, d: { summary: string; summaryPl: string | null }) => (locale === 'pl' && d.summaryPl ? d.summaryPl : d.summary);

function ruleOf(t: Translate, rule: string): string {
  const p = parseRule(rule);
  return p ? ruleLine(t, p.kind, p.thresholdPct) : rule;
}

function figures(t: Translate, d: DecisionRow): string {
  if (d.votesFor === null && d.votesAgainst === null) return '—';
  return t('gov.motions.figuresShort', { for: d.votesFor ?? 0, against: d.votesAgainst ?? 0, abstain: d.abstentions ?? 0 });
}

async function registerPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const db = c.get('deps').database.db;
  const tenantId = c.get('tenant').id;
  const f = filterOf(c);
  const [rows, years] = await Promise.all([listDecisions(db, tenantId, f), decisionYears(db, tenantId)]);
  const qs = new URLSearchParams(Object.entries({ kind: f.kind ?? '', year: f.year ? String(f.year) : '', outcome: f.outcome ?? '', q: f.q ?? '' }).filter(([, v]) => v)).toString();
  return c.html(
    <Layout view={view} title={t('gov.decisions.title')}>
      <h1>{t('gov.decisions.title')}</h1>
      <p>{t('gov.decisions.lead')}</p>
      {rows.some((r) => r.isDemo) ? <DemoNotice t={t} /> : null}
      <form method="get" action="/governance/decisions" class="filters" aria-label={t('gov.decisions.filter')}>
        <Field t={t} name="kind" label={t('gov.decisions.kind')} issues={[]}>
          {(a) => (
            <select {...a}>
              <option value="">{t('gov.decisions.any')}</option>
              {DECISION_KINDS.map((k) => (
                <option value={k} selected={f.kind === k}>
                  {t(`gov.decisions.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field t={t} name="year" label={t('gov.decisions.year')} issues={[]}>
          {(a) => (
            <select {...a}>
              <option value="">{t('gov.decisions.any')}</option>
              {years.map((y) => (
                <option value={String(y)} selected={f.year === y}>
                  {y}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field t={t} name="outcome" label={t('gov.decisions.outcome')} issues={[]}>
          {(a) => (
            <select {...a}>
              <option value="">{t('gov.decisions.any')}</option>
              {DECISION_OUTCOMES.map((o) => (
                <option value={o} selected={f.outcome === o}>
                  {t(`gov.decisions.outcome.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field t={t} name="q" label={t('gov.decisions.q')} issues={[]}>
          {(a) => <input type="search" {...a} value={f.q ?? ''} maxlength={100} />}
        </Field>
        <button class="button button-secondary" type="submit">
          {t('gov.decisions.filterSubmit')}
        </button>
      </form>
      <p>
        <a href={`/governance/decisions.csv${qs ? `?${qs}` : ''}`}>{t('gov.decisions.csv')}</a> · <a href="/governance/decisions.atom">{t('gov.decisions.atom')}</a>
      </p>
      {rows.length === 0 ? (
        <p>{t('gov.decisions.none')}</p>
      ) : (
        <TableWrap label={t('gov.decisions.title')}>
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('gov.decisions.number')}</th>
                <th scope="col">{t('gov.decisions.date')}</th>
                <th scope="col">{t('gov.decisions.decision')}</th>
                <th scope="col">{t('gov.decisions.kind')}</th>
                <th scope="col">{t('gov.decisions.outcome')}</th>
                <th scope="col">{t('gov.motions.votes')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr>
                  <td data-label={t('gov.decisions.number')}>
                    <a href={`/governance/decisions/${d.number}`}>{t('gov.decisions.numberShort', { n: d.number })}</a>
                  </td>
                  <td data-label={t('gov.decisions.date')}>{formatDate(locale, d.decidedOn)}</td>
                  <th scope="row" data-label={t('gov.decisions.decision')}>
                    {title(locale, d)}
                    {d.isDemo ? <DemoTag t={t} /> : null}
                  </th>
                  <td data-label={t('gov.decisions.kind')}>{t(`gov.decisions.kind.${d.kind}`)}</td>
                  <td data-label={t('gov.decisions.outcome')}>{t(`gov.decisions.outcome.${d.outcome as 'noted'}`)}</td>
                  <td data-label={t('gov.motions.votes')}>{figures(t, d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>,
  );
}

async function entryPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t, locale } = view;
  const n = Number(c.req.param('number'));
  const d = Number.isSafeInteger(n) && n > 0 ? await decisionByNumber(c.get('deps').database.db, c.get('tenant').id, n) : undefined;
  if (!d) throw notFound('That decision');
  return c.html(
    <Layout view={view} title={t('gov.decisions.entryTitle', { n: d.number })}>
      <p>
        <a href="/governance/decisions">{t('gov.decisions.title')}</a>
      </p>
      <h1>
        {t('gov.decisions.entryTitle', { n: d.number })}: {title(locale, d)}
        {d.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <Facts
        items={[
          [t('gov.decisions.date'), formatDate(locale, d.decidedOn)],
          [t('gov.decisions.kind'), t(`gov.decisions.kind.${d.kind}`)],
          [t('gov.decisions.outcome'), t(`gov.decisions.outcome.${d.outcome as 'noted'}`)],
          [t('gov.motions.votes'), figures(t, d)],
          [t('gov.motions.rule'), d.rule ? ruleOf(t, d.rule) : '—'],
          [t('gov.motions.field.meeting'), d.meetingTitle ? `${title(locale, { title: d.meetingTitle, titlePl: d.meetingTitlePl })}${d.meetingStartsAt ? ` — ${formatDate(locale, d.meetingStartsAt)}` : ''}` : '—'],
        ]}
      />
      {summary(locale, d)
        .split(/\n{2,}/)
        .filter(Boolean)
        .map((p) => (
          <p>{p}</p>
        ))}
      {d.refs.length ? (
        <>
          <h2>{t('gov.decisions.refs')}</h2>
          <ul>
            {d.refs.map((r) => (
              <li>{r.href && r.href.startsWith('/') ? <a href={r.href}>{r.label}</a> : r.label}</li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>,
  );
}

function xml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!).replace(/\p{Cc}/gu, (ch) => (ch === '\n' || ch === '\r' || ch === '\t' ? ch : ''));
}

/** The register as an Atom 1.0 feed (RFC 4287): the newest 100 entries. */
export function decisionsAtom(rows: DecisionRow[], base: string, feedTitle: string, t: Translate): string {
  const updated = rows.reduce((max, d) => (d.createdAt > max ? d.createdAt : max), new Date(0));
  const entries = rows.map((d) => {
    const link = `${base}/governance/decisions/${d.number}`;
    const text = [`${t(`gov.decisions.outcome.${d.outcome as 'noted'}`)}. ${figures(t, d)}`, d.rule ? ruleOf(t, d.rule) : '', d.summary].filter(Boolean).join('\n\n');
    return [
      '  <entry>',
      `    <id>${xml(link)}</id>`,
      `    <title>${xml(`${d.number}. ${d.title}${d.isDemo ? ` (${t('demo.tag')})` : ''}`)}</title>`,
      `    <updated>${d.createdAt.toISOString()}</updated>`,
      `    <published>${d.decidedOn}T00:00:00Z</published>`,
      `    <link rel="alternate" type="text/html" href="${xml(link)}"/>`,
      `    <category term="${xml(d.kind)}"/>`,
      `    <summary type="text">${xml(text)}</summary>`,
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xml(`${base}/governance/decisions`)}</id>`,
    `  <title>${xml(feedTitle)}</title>`,
    `  <updated>${updated.toISOString()}</updated>`,
    `  <author><name>${xml(feedTitle)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(`${base}/governance/decisions.atom`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(`${base}/governance/decisions`)}"/>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

export const CSV_COLUMNS = ['number', 'decided_on', 'kind', 'title', 'outcome', 'votes_for', 'votes_against', 'abstentions', 'rule', 'meeting', 'summary', 'refs', 'demo'] as const;

export function decisionsCsv(rows: DecisionRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const d of rows) {
    lines.push(
      [d.number, d.decidedOn, d.kind, d.title, d.outcome, d.votesFor, d.votesAgainst, d.abstentions, d.rule, d.meetingTitle ?? '', d.summary, d.refs.map((r) => `${r.label} <${r.href}>`).join('; '), d.isDemo ? 'yes' : 'no']
        .map(escapeCsvCell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

export function registerDecisionPages(app: RouteTarget): void {
  route(app, 'GET', '/governance/decisions', 'public', (c) => registerPage(c));
  route(app, 'GET', '/governance/decisions.atom', 'public', async (c) => {
    const db = c.get('deps').database.db;
    const tenant = c.get('tenant');
    const rows = await listDecisions(db, tenant.id, {}, { limit: 100 });
    const base = await tenantBaseUrl(db, tenant, c.get('deps').config.publicUrl);
    return c.body(decisionsAtom(rows, base, `${tenant.name}: ${c.get('t')('gov.decisions.title')}`, c.get('t')), 200, { 'content-type': 'application/atom+xml; charset=utf-8' });
  });
  route(app, 'GET', '/governance/decisions.csv', 'public', async (c) => {
    const rows = await listDecisions(c.get('deps').database.db, c.get('tenant').id, filterOf(c), { oldestFirst: true });
    return c.body(decisionsCsv(rows), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="decisions.csv"' });
  });
  route(app, 'GET', '/governance/decisions/:number', 'public', (c) => entryPage(c));
}
