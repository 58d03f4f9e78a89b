import type { Context } from 'hono';
import { allows, requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { CsrfField } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { rotateFamilyKeySecret, viewFamilyKeySecret } from './service.ts';

async function keysPage(c: Context<AppEnv>) {
  const view = viewOf(c);
  const { t } = view;
  const actor = requireActor(c);
  const secret = await viewFamilyKeySecret(c.get('deps').database.db, actor);
  const manage = allows('resources.manage', actor.roles);
  return c.html(
    <Layout view={view} title={t('res.core.keys.title')} scripts={secret ? ['family-keys.js'] : []}>
      <p>
        <a href="/resources">{t('res.core.back')}</a>
      </p>
      <h1>{t('res.core.keys.title')}</h1>
      <p class="lead">{t('res.core.keys.lead')}</p>
      {!secret ? (
        <p class="notice">{t('res.core.keys.notStaff')}</p>
      ) : (
        <>
          {c.req.query('rotated') ? (
            <p class="success" role="status">
              {t('res.core.keys.rotated', { version: secret.version })}
            </p>
          ) : null}
          <h2>{t('res.core.keys.secretTitle')}</h2>
          <p>{t('res.core.keys.secretLead', { version: secret.version })}</p>
          <p>
            <code id="family-key-secret">{secret.secret}</code>
          </p>
          <h2>{t('res.core.keys.leavesTitle')}</h2>
          <p>{t('res.core.keys.leaves')}</p>
          <ul>
            <li>{t('res.core.keys.leaves1')}</li>
            <li>{t('res.core.keys.leaves2')}</li>
            <li>{t('res.core.keys.leaves3')}</li>
          </ul>
          <section id="family-hasher" hidden data-secret={secret.secret} aria-labelledby="hasher-title">
            <h2 id="hasher-title">{t('res.core.keys.hasherTitle')}</h2>
            <p>{t('res.core.keys.hasherLead')}</p>
            <form id="family-hasher-form">
              <div class="field">
                <label for="f-hash-file">{t('res.core.keys.hasherFile')}</label>
                <p class="hint" id="f-hash-file-hint">
                  {t('res.core.keys.hasherFileHint')}
                </p>
                <input type="file" id="f-hash-file" name="file" accept=".csv,text/csv" aria-describedby="f-hash-file-hint" required />
              </div>
              <div class="field">
                <label for="f-hash-column">{t('res.core.keys.hasherColumn')}</label>
                <input type="text" id="f-hash-column" name="column" value="family_ref" required />
              </div>
              <button class="button" type="submit">
                {t('res.core.keys.hasherButton')}
              </button>
            </form>
            <div id="family-hasher-result" role="status" aria-live="polite" data-done={t('res.core.keys.hasherDone')} data-download={t('res.core.keys.hasherDownload')} data-preview={t('res.core.keys.hasherPreview')}></div>
          </section>
          <h2>{t('res.core.keys.cliTitle')}</h2>
          <p>{t('res.core.keys.cliLead')}</p>
          <pre class="schema">
            <code>parent-mutual resources family-keys families.csv --secret {secret.secret} --column family_ref {'>'} families-hashed.csv</code>
          </pre>
          <p>{t('res.core.keys.thenImport')}</p>
          <p>
            <a href="/resources/import">{t('res.core.import.title')}</a>
          </p>
          {manage ? (
            <>
              <h2>{t('res.core.keys.rotateTitle')}</h2>
              <p>{t('res.core.keys.rotateLead')}</p>
              <form method="post" action="/resources/family-keys/rotate">
                <CsrfField token={view.csrfToken} />
                <button class="button button-danger" type="submit">
                  {t('res.core.keys.rotateButton')}
                </button>
              </form>
            </>
          ) : null}
        </>
      )}
    </Layout>,
  );
}

export function registerFamilyKeyPages(app: RouteTarget): void {
  route(app, 'GET', '/resources/family-keys', 'resources.edit', (c) => {
    c.header('Cache-Control', 'no-store');
    return keysPage(c);
  });
  route(app, 'POST', '/resources/family-keys/rotate', 'resources.manage', async (c) => {
    await rotateFamilyKeySecret(c.get('deps').database.db, requireActor(c));
    return c.redirect('/resources/family-keys?rotated=1', 303);
  });
}
