import type { Context } from 'hono';
import { formatDateTime } from '../../lib/dates.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError } from '../../server/errors.ts';
import { CsrfField, TableWrap } from '../../ui/forms.tsx';
import type { MessageKey, Translate } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { demoWorkbookSheets } from './demo.ts';
import { RES_IMPORT_MAX_BYTES, writeCsv, writeXlsx } from './import-files.ts';
import { templateSheets } from './import-templates.ts';
import { IMPORT_COLUMNS, IMPORT_KINDS, importResources, recentImports, type ImportKind, type ImportProblem, type ImportReport } from './import.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function problemText(t: Translate, p: ImportProblem): string {
  const reason = t(p.key, p.params);
  if (p.row === 0) return reason;
  const where = p.sheet ? t('res.core.import.whereSheet', { sheet: p.sheet, row: p.row, column: p.column }) : t('res.core.import.where', { row: p.row, column: p.column });
  return `${where}: ${reason}`;
}

async function importPage(c: Context<AppEnv>, report?: ImportReport, chosen?: string) {
  const view = viewOf(c);
  const { t, locale } = view;
  const tenantId = c.get('tenant').id;
  const recent = await recentImports(c.get('deps').database.db, tenantId);
  const bad = !!report?.problems.length;
  return c.html(
    <Layout view={view} title={t('res.core.import.title')}>
      <p>
        <a href="/resources">{t('res.core.back')}</a>
      </p>
      <h1>{t('res.core.import.title')}</h1>
      <p class="lead">{t('res.core.import.lead')}</p>
      {report ? (
        <div class={bad ? 'error-summary' : 'success'} role={bad ? 'alert' : 'status'} tabindex={-1} id="import-report">
          <h2>{bad ? t('res.core.import.problems', { n: report.problems.length + report.problemsMore }) : report.applied ? t('res.core.import.applied') : t('res.core.import.checked')}</h2>
          {report.kinds.length ? (
            <ul>
              {report.kinds.map((k) => (
                <li>{t('res.core.import.kindReport', { kind: t(`res.core.import.kind.${k.kind}`), read: k.read, added: k.added, changed: k.changed, unchanged: k.unchanged })}</li>
              ))}
            </ul>
          ) : null}
          {bad ? (
            <>
              <p>{t('res.core.import.nothingWritten')}</p>
              <ul>
                {report.problems.map((p) => (
                  <li>{problemText(t, p)}</li>
                ))}
              </ul>
              {report.problemsMore ? <p>{t('res.core.import.problemsMore', { n: report.problemsMore })}</p> : null}
            </>
          ) : !report.applied ? (
            <p>{t('res.core.import.nowApply')}</p>
          ) : null}
        </div>
      ) : null}
      <h2>{t('res.core.import.upload')}</h2>
      <form method="post" action="/resources/import" enctype="multipart/form-data">
        <CsrfField token={view.csrfToken} />
        <div class="field">
          <label for="f-kind">{t('res.core.import.kindLabel')}</label>
          <p class="hint" id="f-kind-hint">
            {t('res.core.import.kindHint')}
          </p>
          <select id="f-kind" name="kind" aria-describedby="f-kind-hint">
            {IMPORT_KINDS.map((k) => (
              <option value={k} selected={chosen === k}>
                {t(`res.core.import.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-file">{t('res.core.import.file')}</label>
          <p class="hint" id="f-file-hint">
            {t('res.core.import.fileHint', { mb: RES_IMPORT_MAX_BYTES / 1024 / 1024 })}
          </p>
          <input type="file" id="f-file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="f-file-hint" required />
        </div>
        <div class="actions">
          <button class="button" type="submit" name="mode" value="check">
            {t('res.core.import.check')}
          </button>
          <button class="button button-secondary" type="submit" name="mode" value="apply">
            {t('res.core.import.apply')}
          </button>
        </div>
      </form>
      <h2>{t('res.core.import.templates')}</h2>
      <p>{t('res.core.import.templatesLead')}</p>
      <TableWrap label={t('res.core.import.templates')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('res.core.import.kindLabel')}</th>
              <th scope="col">{t('res.core.import.columns')}</th>
              <th scope="col">{t('res.core.import.download')}</th>
            </tr>
          </thead>
          <tbody>
            {IMPORT_KINDS.map((k) => (
              <tr>
                <td>{t(`res.core.import.kind.${k}`)}</td>
                <td>
                  <code>{IMPORT_COLUMNS[k].required.join(', ')}</code>
                  {IMPORT_COLUMNS[k].optional.length ? (
                    <>
                      {' '}
                      {t('res.core.import.optional')} <code>{IMPORT_COLUMNS[k].optional.join(', ')}</code>
                    </>
                  ) : null}
                </td>
                <td>
                  <a href={`/resources/import/templates/${k}.csv`} aria-label={t('res.core.import.templateCsv', { kind: t(`res.core.import.kind.${k}`) })}>
                    CSV
                  </a>{' '}
                  ·{' '}
                  <a href={`/resources/import/templates/${k}.xlsx`} aria-label={t('res.core.import.templateXlsx', { kind: t(`res.core.import.kind.${k}`) })}>
                    XLSX
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <ul>
        {(['money', 'periods', 'wards', 'idempotent', 'refused', 'workbook'] as const).map((k) => (
          <li>{t(`res.core.import.rule.${k}` as MessageKey)}</li>
        ))}
      </ul>
      <h2>{t('res.core.import.demoTitle')}</h2>
      <p>{t('res.core.import.demoLead')}</p>
      <p>
        <a class="button button-secondary" href="/resources/import/demo.xlsx">
          {t('res.core.import.demoLink')}
        </a>
      </p>
      <h2>{t('res.core.import.recent')}</h2>
      {recent.length ? (
        <TableWrap label={t('res.core.import.recent')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('res.core.import.when')}</th>
                <th scope="col">{t('res.core.import.kindLabel')}</th>
                <th scope="col">{t('res.core.import.file')}</th>
                <th scope="col">{t('res.core.import.counts')}</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((r) => (
                <tr>
                  <td>{formatDateTime(locale, r.importedAt)}</td>
                  <td>{r.kind}</td>
                  <td>{r.fileName}</td>
                  <td>{t('res.core.import.countsValue', { read: r.rowsRead, added: r.rowsAdded, changed: r.rowsChanged })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p>{t('res.core.import.noneYet')}</p>
      )}
    </Layout>,
    bad ? 400 : 200,
  );
}

function download(c: Context<AppEnv>, name: string, body: string | Uint8Array, type: string) {
  c.header('Content-Disposition', `attachment; filename="${name}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>), 200, { 'Content-Type': type });
}

export function registerImportPages(app: RouteTarget): void {
  route(app, 'GET', '/resources/import', 'resources.edit', (c) => importPage(c));

  route(app, 'POST', '/resources/import', 'resources.edit', async (c) => {
    const actor = requireActor(c);
    const body = await c.req.parseBody();
    const kind = IMPORT_KINDS.find((k) => k === body.kind);
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) return importPage(c, { kinds: [], problems: [{ sheet: '', row: 0, column: '', key: 'res.core.file.none' }], problemsMore: 0, applied: false }, kind);
    const report = await importResources(c.get('deps').database.db, actor, { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()), kind, dryRun: body.mode !== 'apply' });
    return importPage(c, report, kind);
  });

  route(app, 'GET', '/resources/import/templates/:file', 'resources.edit', async (c) => {
    const m = /^([a-z]+)\.(csv|xlsx)$/.exec(c.req.param('file') ?? '');
    const kind = IMPORT_KINDS.find((k) => k === m?.[1]) as ImportKind | undefined;
    if (!m || !kind) throw new AppError('not_found', 'There is no such template.');
    const sheets = await templateSheets(c.get('deps').database.db, c.get('tenant').id, kind);
    if (m[2] === 'csv') return download(c, `${kind}-template.csv`, writeCsv(sheets[0]!.rows), 'text/csv; charset=utf-8');
    return download(c, `${kind}-template.xlsx`, await writeXlsx(sheets), XLSX_TYPE);
  });

  route(app, 'GET', '/resources/import/demo.xlsx', 'resources.edit', async (c) => {
    const db = c.get('deps').database.db;
    const clock = c.get('deps').clock;
    const sheets = await demoWorkbookSheets(db, c.get('tenant').id, new Date(clock ? clock() : Date.now()));
    const xlsx = await writeXlsx(sheets.map((s) => ({ name: s.name, rows: [s.header, ...s.rows.map((r) => r.cells)] })));
    return download(c, 'resources-demo.xlsx', xlsx, XLSX_TYPE);
  });
}
