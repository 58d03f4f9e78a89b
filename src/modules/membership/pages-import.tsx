import type { Context } from 'hono';
import { isoDate } from '../../lib/dates.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { CsrfField } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import type { MessageKey, Translate } from '../../ui/i18n/index.ts';
import { areaOverview, pickWardSet, tenantBaseUrl } from '../tenancy/views.ts';
import { exportMembersCsvFor, formatImportError, importMembers, type FieldChange, type ImportReport, type RowReport } from './csv.ts';
import { parseListQuery } from './pages-coordinator.tsx';

/** Largest member CSV accepted (about 200,000 rows). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

function importPage(c: Context<AppEnv>, report?: ImportReport, problem?: string) {
  const view = viewOf(c);
  const { t } = view;
  return c.html(
    <Layout view={view} title={t('coord.import.title')}>
      <p>
        <a href="/coordinator/members">{t('coord.back')}</a>
      </p>
      <h1>{t('coord.import.title')}</h1>
      <p>{t('coord.import.lead')}</p>
      <p>{t('coord.import.rules')}</p>
      {problem ? (
        <div class="error-summary" role="alert">
          <p>{problem}</p>
        </div>
      ) : null}
      {report ? (
        <div class={report.errors.length ? 'error-summary' : 'success'} role={report.errors.length ? 'alert' : 'status'}>
          <p>{t('coord.import.report', { rows: report.rows, create: report.toCreate, update: report.toUpdate, same: report.unchanged })}</p>
          <p>{t('coord.import.reportMore', { pending: report.pending, refused: report.refused, conflicts: report.conflicts })}</p>
          <p>{report.applied ? t('coord.import.applied') : t('coord.import.notApplied')}</p>
          {report.errors.length ? (
            <>
              <p>{t('coord.import.errors')}</p>
              <ul>
                {report.errors.map((e) => (
                  <li>{formatImportError(e)}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
      {report && !report.errors.length && report.details.length ? <RowList t={t} report={report} /> : null}
      <form method="post" action="/coordinator/members/import" enctype="multipart/form-data">
        <CsrfField token={view.csrfToken} />
        <div class="field">
          <label for="f-file">{t('coord.import.file')}</label>
          <input type="file" id="f-file" name="file" accept=".csv,text/csv" />
        </div>
        <div class="actions">
          <button class="button button-secondary" type="submit" name="mode" value="check">
            {t('coord.import.check')}
          </button>
          <button class="button" type="submit" name="mode" value="apply">
            {t('coord.import.apply')}
          </button>
        </div>
      </form>
    </Layout>,
    report?.errors.length || problem ? 400 : 200,
  );
}

function valueText(t: Translate, v: FieldChange['from']): string {
  return v === null || v === '' ? t('coord.import.blank') : String(v);
}

function rowLines(t: Translate, r: RowReport): string[] {
  const field = (c: FieldChange) => t(`coord.import.field.${c.field}` as MessageKey);
  return [
    ...r.changes.map((c) => t('coord.import.change', { field: field(c), from: valueText(t, c.from), to: valueText(t, c.to) })),
    ...r.pending.map((c) => t('coord.import.pending', { field: field(c), to: valueText(t, c.to) })),
    ...r.conflicts.map((c) => t('coord.import.conflict', { field: field(c), kept: valueText(t, c.from), file: valueText(t, c.to) })),
  ];
}

/** Per row: new, what changes (field: old → new), what waits for the member, what was refused or kept. */
function RowList({ t, report }: { t: Translate; report: ImportReport }) {
  return (
    <section aria-labelledby="import-rows">
      <h2 id="import-rows">{t('coord.import.rows.title')}</h2>
      <ul class="import-rows">
        {report.details.map((r) => (
          <li>
            {r.kind === 'new'
              ? t('coord.import.row.new', { line: r.line })
              : r.kind === 'refused'
                ? t('coord.import.row.refused', { line: r.line, number: r.memberNumber ?? 0 })
                : t('coord.import.row.member', { line: r.line, number: r.memberNumber ?? 0 })}
            {r.kind === 'matched' ? (
              <ul>
                {rowLines(t, r).map((l) => (
                  <li>{l}</li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
      {report.detailsMore ? <p>{t('coord.import.rows.more', { n: report.detailsMore })}</p> : null}
    </section>
  );
}

/** Decide by content, not by name: UTF-8 text without NUL bytes (a spreadsheet saved as CSV). */
function csvText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function registerImportPages(app: RouteTarget): void {
  route(app, 'GET', '/coordinator/members.csv', 'members.import', async (c) => {
    const actor = requireActor(c);
    const { query, wardId } = await parseListQuery(c);
    const db = c.get('deps').database.db;
    const csv = await exportMembersCsvFor(db, actor, { q: query.q, wardId, status: query.status, role: query.role, sort: query.sort }, query);
    c.header('Content-Disposition', `attachment; filename="members-${isoDate()}.csv"`);
    c.header('Cache-Control', 'no-store');
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  route(app, 'GET', '/coordinator/members/import', 'members.import', (c) => importPage(c));

  route(app, 'POST', '/coordinator/members/import', 'members.import', async (c) => {
    const actor = requireActor(c);
    const { t } = viewOf(c);
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) return importPage(c, undefined, t('coord.import.noFile'));
    const text = csvText(new Uint8Array(await file.arrayBuffer()));
    if (text === undefined) return importPage(c, undefined, t('coord.import.notText'));
    const deps = c.get('deps');
    const db = deps.database.db;
    const tenant = c.get('tenant');
    const set = pickWardSet(await areaOverview(db, tenant), undefined);
    const notify = { tenant, baseUrl: await tenantBaseUrl(db, tenant, deps.config.publicUrl) };
    const report = await importMembers(db, actor, text, { dryRun: body.mode !== 'apply', wardSetId: set.id, notify });
    return importPage(c, report);
  });
}
