import type { Context } from 'hono';
import { formatDate, formatDateTime } from '../../lib/dates.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { DemoTag } from '../../ui/demo.tsx';
import { Facts } from '../../ui/facts.tsx';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { handleConcern, HANDLING_NOTE_MAX, listConcerns, openConcern } from './safeguarding.ts';
import { nowOf } from './service.ts';

/** Safeguarding leads only (SECURITY.md 19): the list has no content; opening one is audited. */

async function concernPage(c: Context<AppEnv>, issues: FieldIssue[] = [], note = '') {
  const view = viewOf(c);
  const { t, locale } = view;
  const concern = await openConcern(c.get('deps').database.db, requireActor(c), c.get('tenant').id, c.req.param('id') ?? '');
  c.header('Cache-Control', 'no-store');
  return c.html(
    <Layout view={view} title={t('intel.field.concerns.one')}>
      <p>
        <a href="/safeguarding/concerns">{t('intel.field.concerns.title')}</a>
      </p>
      <h1>
        {t('intel.field.concerns.one')}
        {concern.isDemo ? <DemoTag t={t} /> : null}
      </h1>
      <p class="muted">{t('intel.field.concerns.audited')}</p>
      <Facts
        items={[
          [t('intel.field.concerns.received'), formatDateTime(locale, concern.receivedAt)],
          [t('intel.field.ward'), concern.wardName ?? t('intel.field.ward.none')],
          [t('intel.field.status'), t(`intel.field.concernStatus.${concern.status}`)],
          ...(concern.handledAt ? ([[t('intel.field.concerns.handledAt'), formatDateTime(locale, concern.handledAt)]] as const) : []),
        ]}
      />
      <h2>{t('intel.field.concerns.what')}</h2>
      <p class="observed">{concern.observedText}</p>
      {concern.handlingNote ? (
        <>
          <h2>{t('intel.field.concerns.note')}</h2>
          <p class="observed">{concern.handlingNote}</p>
        </>
      ) : null}
      {concern.status === 'open' ? (
        <>
          <h2>{t('intel.field.concerns.handle')}</h2>
          <ErrorSummary t={t} issues={issues} />
          <form method="post" action={`/safeguarding/concerns/${concern.id}/handle`} novalidate>
            <CsrfField token={view.csrfToken} />
            <Field t={t} name="note" label={t('intel.field.concerns.noteLabel')} hint={t('intel.field.concerns.noteHint')} issues={issues}>
              {(a) => (
                <textarea {...a} rows={4} maxlength={HANDLING_NOTE_MAX}>
                  {note}
                </textarea>
              )}
            </Field>
            <button class="button" type="submit">
              {t('intel.field.concerns.handleButton')}
            </button>
          </form>
        </>
      ) : null}
    </Layout>,
    issues.length ? 400 : 200,
  );
}

export function registerConcernPages(pages: RouteTarget): void {
  route(pages, 'GET', '/safeguarding/concerns', 'safeguarding.read', async (c) => {
    const view = viewOf(c);
    const { t, locale } = view;
    const rows = await listConcerns(c.get('deps').database.db, requireActor(c), c.get('tenant').id);
    c.header('Cache-Control', 'no-store');
    return c.html(
      <Layout view={view} title={t('intel.field.concerns.title')}>
        <h1>{t('intel.field.concerns.title')}</h1>
        <p>{t('intel.field.concerns.lead')}</p>
        {rows.length === 0 ? (
          <p>{t('intel.field.concerns.none')}</p>
        ) : (
          <TableWrap label={t('intel.field.concerns.title')}>
            <table class="stack">
              <caption>{t('intel.field.concerns.caption', { n: rows.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('intel.field.concerns.received')}</th>
                  <th scope="col">{t('intel.field.ward')}</th>
                  <th scope="col">{t('intel.field.status')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={`/safeguarding/concerns/${r.id}`}>{formatDate(locale, r.receivedAt)}</a>
                      {r.isDemo ? <DemoTag t={t} /> : null}
                    </th>
                    <td data-label={t('intel.field.ward')}>{r.wardName ?? t('intel.field.ward.none')}</td>
                    <td data-label={t('intel.field.status')}>{t(`intel.field.concernStatus.${r.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </Layout>,
    );
  });

  route(pages, 'GET', '/safeguarding/concerns/:id', 'safeguarding.read', (c) => concernPage(c));

  route(pages, 'POST', '/safeguarding/concerns/:id/handle', 'safeguarding.read', async (c) => {
    const body = await c.req.parseBody();
    const note = typeof body.note === 'string' ? body.note : '';
    try {
      await handleConcern(c.get('deps').database.db, requireActor(c), c.get('tenant').id, c.req.param('id') ?? '', note, nowOf(c.get('deps')));
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return concernPage(c, err.fields, note);
      throw err;
    }
    return c.redirect(`/safeguarding/concerns/${c.req.param('id') ?? ''}`, 303);
  });
}
