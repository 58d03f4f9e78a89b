import type { Context } from 'hono';
import { normalisePhone, PHONE_MESSAGES } from '../../lib/contact.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { CsrfField, ErrorSummary, Field } from '../../ui/forms.tsx';
import { MemberFacts } from './member-facts.tsx';
import { formatDate, type MessageKey } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { areaOverview, pickWardSet, tenantBaseUrl, wardsOf } from '../tenancy/views.ts';
import { resendConfirmation } from './join-service.ts';
import { rateLimit } from './rate-limit.ts';
import { downloadMemberData, erase, leave, requestDataDownload } from './data-rights.ts';
import { findMemberById, rolesOf } from './queries.ts';
import { RELATIONSHIPS, type Member } from './schema.ts';
import { ProfileUpdate, updateProfile } from './service.ts';
import { listPasskeys } from './passkeys.ts';
import { contactChangeMessage, PendingContactChanges } from './pages-contact-change.tsx';
import { MANIFESTS } from '../index.ts';


async function renderMe(c: Context<AppEnv>, member: Member, issues: FieldIssue[], saved = false, linkSent = false) {
  const view = viewOf(c);
  const { t } = view;
  const db = c.get('deps').database.db;
  const tenant = c.get('tenant');
  const set = pickWardSet(await areaOverview(db, tenant), undefined);
  const wards = await wardsOf(db, tenant, set);
  const roles = await rolesOf(db, tenant.id, member.id);
  const keys = await listPasskeys(db, tenant.id, member.id);
  const wardCode = wards.find((w) => w.id === member.wardId)?.code ?? '';
  const changeDone = contactChangeMessage(c.req.query('change'));
  // Other modules' sections of this page (manifest mePanel), e.g. the member's next training sessions.
  const actor = requireActor(c);
  const panels = await Promise.all(
    MANIFESTS.flatMap((m) => (m.mePanel ? [m.mePanel] : []))
      .sort((a, b) => a.order - b.order)
      .map((p) => p.render({ db, actor, t, locale: view.locale, now: new Date(c.get('deps').clock?.() ?? Date.now()) })),
  );
  return c.html(
    <Layout view={view} title={t('me.title')} scripts={['passkeys.js']}>
      <h1>{t('me.title')}</h1>
      {member.isDemo ? (
        <p class="notice demo" role="note">
          {t('demo.me')}
        </p>
      ) : null}
      {saved ? (
        <p class="success" role="status">
          {t('me.saved')}
        </p>
      ) : null}
      {changeDone ? (
        <p class="success" role="status">
          {t(changeDone)}
        </p>
      ) : null}
      <PendingContactChanges t={t} csrfToken={view.csrfToken} member={member} />
      {linkSent ? (
        <p class="success" role="status">
          {t('me.pending.sent')}
        </p>
      ) : null}
      {member.status === 'pending' && member.email ? (
        <form method="post" action="/me/confirm-email">
          <CsrfField token={view.csrfToken} />
          <p>{t('me.pending.lead')}</p>
          <button class="button" type="submit">
            {t('me.pending.button')}
          </button>
        </form>
      ) : null}
      <MemberFacts t={t} locale={view.locale} member={member} more={[[t('me.roles'), roles.map((r) => t(`role.${r}` as MessageKey)).join(', ')]]} />
      {panels}
      <h2>{t('me.edit')}</h2>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action="/me" novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="name" label={t('join.name')} issues={issues}>
          {(a) => <input type="text" {...a} value={member.name} autocomplete="name" maxlength={100} />}
        </Field>
        <Field t={t} name="phone" label={t('join.phone')} hint={t('join.phone.hint')} issues={issues}>
          {(a) => <input type="tel" {...a} value={member.phone ?? ''} autocomplete="tel" />}
        </Field>
        <Field t={t} name="ward" label={t('join.ward')} issues={issues}>
          {(a) => (
            <select {...a}>
              {wards.map((w) => (
                <option value={w.code} selected={w.code === wardCode}>
                  {w.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field t={t} name="relationship" label={t('join.relationship')} issues={issues}>
          {(a) => (
            <select {...a}>
              {RELATIONSHIPS.map((r) => (
                <option value={r} selected={member.relationship === r}>
                  {t(`relationship.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field t={t} name="childrenUnder5" label={t('join.children')} issues={issues}>
          {(a) => <input type="number" {...a} value={member.childrenUnder5 === null ? '' : String(member.childrenUnder5)} min={0} max={20} inputmode="numeric" />}
        </Field>
        <Field t={t} name="preferredLocale" label={t('join.language')} issues={issues}>
          {(a) => (
            <select {...a}>
              <option value="en" selected={member.preferredLocale === 'en'}>
                English
              </option>
              <option value="pl" lang="pl" selected={member.preferredLocale === 'pl'}>
                Polski
              </option>
            </select>
          )}
        </Field>
        <button class="button" type="submit">
          {t('me.save')}
        </button>
      </form>
      <h2>{t('passkey.title')}</h2>
      <p>{t('passkey.lead')}</p>
      {keys.length ? (
        <ul>
          {keys.map((k, i) => (
            <li>
              {t('passkey.item', { n: i + 1, date: formatDate(view.locale, k.createdAt) })}{' '}
              <form method="post" action="/me/passkeys/remove" class="inline-form">
                <CsrfField token={view.csrfToken} />
                <input type="hidden" name="id" value={k.id} />
                <button class="button button-secondary" type="submit" aria-label={t('passkey.removeNamed', { n: i + 1 })}>
                  {t('passkey.remove')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('passkey.none')}</p>
      )}
      <button type="button" class="button button-secondary" data-passkey="register" data-csrf={view.csrfToken} data-status="passkey-status" hidden>
        {t('passkey.add')}
      </button>
      <p id="passkey-status" role="status" class="error"></p>
      <h2>{t('me.data.title')}</h2>
      <p>{t('me.data.lead')}</p>
      <form method="post" action="/me/data">
        <CsrfField token={view.csrfToken} />
        <button class="button button-secondary" type="submit">
          {t('me.data.button')}
        </button>
      </form>
      <h2>{t('me.leave.title')}</h2>
      <p>{t('me.leave.lead')}</p>
      <div class="actions">
        <a class="button button-secondary" href="/me/leave">
          {t('me.leave.button')}
        </a>
        <a class="button button-secondary" href="/me/erase">
          {t('me.erase.button')}
        </a>
      </div>
      <h2>{t('me.signout.title')}</h2>
      <form method="post" action="/sign-out">
        <CsrfField token={view.csrfToken} />
        <button class="button button-secondary" type="submit">
          {t('me.signout')}
        </button>
      </form>
    </Layout>,
    issues.length ? 400 : 200,
  );
}

function confirmPage(c: Context<AppEnv>, kind: 'leave' | 'erase', issues: FieldIssue[], status?: 409) {
  const view = viewOf(c);
  const { t } = view;
  const title = t(kind === 'leave' ? 'me.leave.confirmTitle' : 'me.erase.confirmTitle');
  return c.html(
    <Layout view={view} title={title}>
      <h1>{title}</h1>
      <p>{t(kind === 'leave' ? 'me.leave.explain' : 'me.erase.explain')}</p>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action={`/me/${kind}`}>
        <CsrfField token={view.csrfToken} />
        <div class="field">
          <div class="choice">
            <input type="checkbox" id="f-confirm" name="confirm" value="yes" />
            <label for="f-confirm">{t(kind === 'leave' ? 'me.leave.check' : 'me.erase.check')}</label>
          </div>
        </div>
        <div class="actions">
          <button class="button button-danger" type="submit">
            {t(kind === 'leave' ? 'me.leave.button' : 'me.erase.button')}
          </button>
          <a href="/me">{t('me.cancel')}</a>
        </div>
      </form>
    </Layout>,
    status ?? (issues.length ? 400 : 200),
  );
}

export function registerMePages(app: RouteTarget): void {
  route(app, 'GET', '/me', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const member = await findMemberById(c.get('deps').database.db, actor.tenantId, actor.memberId);
    if (!member) throw new AppError('unauthenticated', 'Please sign in.');
    return renderMe(c, member, [], c.req.query('saved') === '1', c.req.query('sent') === '1');
  });

  // A pending member whose confirmation link expired or was used asks for a new one here.
  route(app, 'POST', '/me/confirm-email', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const deps = c.get('deps');
    const tenant = c.get('tenant');
    const member = await findMemberById(deps.database.db, actor.tenantId, actor.memberId);
    if (!member) throw new AppError('unauthenticated', 'Please sign in.');
    if (member.status !== 'pending' || !member.email) return c.redirect('/me', 303);
    await rateLimit(deps.database.db, `resend:member:${tenant.id}:${member.id}`, 3, 3600);
    await resendConfirmation(deps.database.db, tenant, member.email, await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl));
    return c.redirect('/me?sent=1', 303);
  });

  route(app, 'POST', '/me', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const db = c.get('deps').database.db;
    const member = await findMemberById(db, actor.tenantId, actor.memberId);
    if (!member) throw new AppError('unauthenticated', 'Please sign in.');
    const body = await c.req.parseBody();
    const input = Object.fromEntries(['name', 'phone', 'ward', 'relationship', 'childrenUnder5', 'preferredLocale'].map((k) => [k, typeof body[k] === 'string' ? body[k] : undefined]));
    const parsed = ProfileUpdate.safeParse(input);
    const issues = parsed.success ? [] : fieldIssues(parsed.error);
    let phone: string | null = null;
    if (input.phone) {
      const p = normalisePhone(String(input.phone));
      if (p.ok) phone = p.value;
      else issues.push({ field: 'phone', message: p.message === PHONE_MESSAGES.notPersonal ? 'join.error.phoneKind' : 'join.error.phone' });
    }
    if (!parsed.success || issues.length) return renderMe(c, { ...member, name: String(input.name ?? member.name) }, issues);
    const set = pickWardSet(await areaOverview(db, c.get('tenant')), undefined);
    try {
      await updateProfile(db, actor.tenantId, actor.memberId, set.id, { ...parsed.data, phone });
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return renderMe(c, member, err.fields);
      throw err;
    }
    return c.redirect('/me?saved=1', 303);
  });

  // A single-use link, valid for 5 minutes and only in the session that asked for it.
  route(app, 'POST', '/me/data', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const token = await requestDataDownload(c.get('deps').database.db, actor);
    return c.redirect(`/me/data/download?token=${encodeURIComponent(token)}`, 303);
  });

  route(app, 'GET', '/me/data/download', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const zip = await downloadMemberData(c.get('deps').database.db, actor, c.req.query('token') ?? '');
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Content-Disposition', 'attachment; filename="my-parent-mutual-data.zip"');
    return c.body(zip.buffer.slice(zip.byteOffset, zip.byteOffset + zip.byteLength) as ArrayBuffer, 200, { 'Content-Type': 'application/zip' });
  });

  route(app, 'GET', '/me/leave', 'signed-in', (c) => confirmPage(c, 'leave', []));
  route(app, 'GET', '/me/erase', 'signed-in', (c) => confirmPage(c, 'erase', []));

  route(app, 'POST', '/me/leave', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const body = await c.req.parseBody();
    if (body.confirm !== 'yes') return confirmPage(c, 'leave', [{ field: 'confirm', message: 'me.error.confirm' }]);
    try {
      await leave(c.get('deps').database.db, actor.tenantId, actor.memberId);
    } catch (err) {
      // The last admin cannot leave (409): say why on the same page, in the member's language.
      const message = err instanceof AppError && err.code === 'conflict' ? err.fields[0]?.message : undefined;
      if (message) return confirmPage(c, 'leave', [{ field: 'confirm', message }], 409);
      throw err;
    }
    return c.redirect('/?left=1', 303);
  });

  route(app, 'POST', '/me/erase', 'signed-in', async (c) => {
    const actor = requireActor(c);
    const body = await c.req.parseBody();
    if (body.confirm !== 'yes') return confirmPage(c, 'erase', [{ field: 'confirm', message: 'me.error.confirm' }]);
    await erase(c.get('deps').database.db, actor.tenantId, actor.memberId, actor.memberId);
    return c.redirect('/?erased=1', 303);
  });
}
