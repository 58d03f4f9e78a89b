import type { Context } from 'hono';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { CsrfField, ErrorSummary, TableWrap } from '../../ui/forms.tsx';
import { formatNumber, type MessageKey } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { importOruk, type OrukImportReport, type OrukProblem } from './oruk-import.ts';

export const ORUK_IMPORT_PATH = '/resources/import/openreferral';
export const ORUK_MAX_BYTES = 20 * 1024 * 1024;

async function page(c: Context<AppEnv>, state: { report?: OrukImportReport; error?: string; status?: 200 | 400 } = {}) {
  const view = viewOf(c);
  const { t, locale } = view;
  const r = state.report;
  const Problems = ({ list, caption }: { list: OrukProblem[]; caption: string }) => (
    <TableWrap label={caption}>
      <table class="stack">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('res.oruk.report.record')}</th>
            <th scope="col">{t('res.oruk.report.field')}</th>
            <th scope="col">{t('res.oruk.report.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((p) => (
            <tr>
              <td data-label={t('res.oruk.report.record')}>{p.record}</td>
              <td data-label={t('res.oruk.report.field')}>
                <code>{p.field}</code>
              </td>
              <td data-label={t('res.oruk.report.problem')}>{t(p.key, p.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
  const counts = (what: MessageKey, x: OrukImportReport['services']) => t('res.oruk.report.counts', { what: t(what), added: formatNumber(locale, x.added), changed: formatNumber(locale, x.changed), unchanged: formatNumber(locale, x.unchanged) });
  return c.html(
    <Layout view={view} title={t('res.oruk.import.title')}>
      <h1>{t('res.oruk.import.title')}</h1>
      <p class="lead">{t('res.oruk.import.lead')}</p>
      <ErrorSummary t={t} issues={state.error ? [{ field: 'file', message: state.error }] : []} />
      {r ? (
        <section aria-labelledby="report">
          <h2 id="report">{t('res.oruk.report.title')}</h2>
          {r.problems.length ? (
            <>
              <p class="error" role="alert">
                {t('res.oruk.report.problems')}
              </p>
              <Problems list={r.problems} caption={t('res.oruk.report.problem')} />
            </>
          ) : (
            <>
              <p class={r.dryRun ? 'notice' : 'success'} role="status">
                {t(r.dryRun ? 'res.oruk.report.dry' : 'res.oruk.report.done')}
              </p>
              <ul>
                <li>{counts('res.oruk.report.organizations', r.organizations)}</li>
                <li>{counts('res.oruk.report.services', r.services)}</li>
              </ul>
            </>
          )}
          {r.skipped.length ? <Problems list={r.skipped} caption={t('res.oruk.report.skipped')} /> : null}
        </section>
      ) : null}
      <form method="post" action={ORUK_IMPORT_PATH} enctype="multipart/form-data" novalidate>
        <CsrfField token={view.csrfToken} />
        <div class={state.error ? 'field field-error' : 'field'}>
          <label for="f-file">{t('res.oruk.import.file')}</label>
          <p class="hint" id="f-file-hint">
            {t('res.oruk.import.file.hint')}
          </p>
          <input type="file" id="f-file" name="file" accept=".json,application/json" aria-describedby="f-file-hint" />
        </div>
        <div class="field checkbox">
          <input type="checkbox" id="f-dryRun" name="dryRun" value="1" checked={r ? r.dryRun : true} />
          <label for="f-dryRun">{t('res.oruk.import.dryRun')}</label>
        </div>
        <button class="button" type="submit">
          {t('res.oruk.import.submit')}
        </button>
      </form>
      <p>{t('res.oruk.import.export', { link: '/api/v1/openreferral/services' })}</p>
    </Layout>,
    state.status ?? 200,
  );
}

export function registerOrukPages(app: RouteTarget): void {
  route(app, 'GET', ORUK_IMPORT_PATH, 'resources.edit', (c) => page(c));
  route(app, 'POST', ORUK_IMPORT_PATH, 'resources.edit', async (c) => {
    const body = await c.req.parseBody();
    const file = body.file;
    const { t } = viewOf(c);
    if (!(file instanceof File) || file.size === 0) return page(c, { error: t('res.oruk.import.noFile'), status: 400 });
    const report = await importOruk(c.get('deps').database.db, requireActor(c), c.get('tenant'), { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, { dryRun: body.dryRun === '1' });
    return page(c, { report, status: report.problems.length ? 400 : 200 });
  });
}
