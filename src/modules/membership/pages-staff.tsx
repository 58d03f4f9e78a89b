import type { Context } from 'hono';
import { isUuid } from '../../lib/ids.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import { clientKey } from '../../server/client-address.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { CsrfField, ErrorSummary, Field, TableWrap } from '../../ui/forms.tsx';
import { TokenForm } from '../../ui/token-form.tsx';
import { messageText, type MessageKey } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { tenantBaseUrl } from '../tenancy/views.ts';
import { canInviteStaff, STAFF_ROLES } from './policy.ts';
import { rateLimit } from './rate-limit.ts';
import { applySignIn } from './sign-in-cookies.ts';
import { acceptInvitation, approveSecondFactorReset, inviteStaff, listStaff, requestSecondFactorReset } from './staff.ts';
import { peekToken } from './tokens.ts';

type Form = Record<string, string | File>;
const text = (body: Form, name: string): string => (typeof body[name] === 'string' ? body[name] : '');

/** Staff, their second factors, invitations and factor resets (admins). */
async function staffPage(c: Context<AppEnv>, opts: { issues?: FieldIssue[]; form?: { email: string; name: string; role: string }; notice?: MessageKey; refusal?: { message: string; status: 403 | 409 } } = {}) {
  const view = viewOf(c);
  const { t } = view;
  const actor = requireActor(c);
  const issues = opts.issues ?? [];
  const staff = await listStaff(c.get('deps').database.db, actor.tenantId);
  const roles = STAFF_ROLES.filter((r) => canInviteStaff(actor, r));
  const form = opts.form ?? { email: '', name: '', role: 'coordinator' };
  return c.html(
    <Layout view={view} title={t('staff.title')}>
      <p>
        <a href="/coordinator/members">{t('coord.back')}</a>
      </p>
      <h1>{t('staff.title')}</h1>
      <p class="lead">{t('staff.lead')}</p>
      {opts.notice ? (
        <p class="success" role="status">
          {t(opts.notice)}
        </p>
      ) : null}
      {opts.refusal ? (
        <p class="error" role="alert">
          {messageText(t, opts.refusal.message)}
        </p>
      ) : null}
      <TableWrap label={t('staff.caption')}>
        <table>
          <caption>{t('staff.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('join.name')}</th>
              <th scope="col">{t('me.roles')}</th>
              <th scope="col">{t('staff.col.totp')}</th>
              <th scope="col" class="num">
                {t('staff.col.codes')}
              </th>
              <th scope="col">{t('staff.col.reset')}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((s) => (
              <tr>
                <th scope="row">
                  <a href={`/coordinator/members/${s.id}`}>{s.name || t('coord.erased')}</a>
                </th>
                <td>{s.roles.map((r) => t(`role.${r}`)).join(', ')}</td>
                <td>{s.totp ? t('staff.totp.yes') : t('staff.totp.no')}</td>
                <td class="num">{s.recoveryCodesLeft}</td>
                <td>
                  {s.id === actor.memberId ? (
                    t('staff.reset.self')
                  ) : s.openReset ? (
                    s.openReset.requestedBy === actor.memberId ? (
                      t('staff.reset.waiting')
                    ) : (
                      <form method="post" action={`/coordinator/staff/${s.id}/reset/approve`}>
                        <CsrfField token={view.csrfToken} />
                        <button class="button" type="submit" aria-label={t('staff.reset.approveNamed', { name: s.name })}>
                          {t('staff.reset.approve')}
                        </button>
                      </form>
                    )
                  ) : (
                    <form method="post" action={`/coordinator/staff/${s.id}/reset`}>
                      <CsrfField token={view.csrfToken} />
                      <button class="button button-secondary" type="submit" aria-label={t('staff.reset.buttonNamed', { name: s.name })}>
                        {t('staff.reset.button')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <p>{t('staff.reset.explain')}</p>
      <h2>{t('staff.invite.title')}</h2>
      <p>{t('staff.invite.lead')}</p>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action="/coordinator/staff/invite" novalidate>
        <CsrfField token={view.csrfToken} />
        <Field t={t} name="email" label={t('join.email')} issues={issues}>
          {(a) => <input type="email" {...a} value={form.email} autocomplete="off" spellcheck={false} />}
        </Field>
        <Field t={t} name="name" label={t('join.name')} issues={issues}>
          {(a) => <input type="text" {...a} value={form.name} autocomplete="off" />}
        </Field>
        <Field t={t} name="role" label={t('coord.role')} issues={issues}>
          {(a) => (
            <select {...a}>
              {roles.map((r) => (
                <option value={r} selected={r === form.role}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button class="button" type="submit">
          {t('staff.invite.submit')}
        </button>
      </form>
    </Layout>,
    issues.length ? 400 : (opts.refusal?.status ?? 200),
  );
}

/** Refusals a page explains in words (the member at issue, not a form field). */
function refusalOf(err: unknown): { message: string; status: 403 | 409 } | undefined {
  if (!(err instanceof AppError) || (err.code !== 'forbidden' && err.code !== 'conflict')) return undefined;
  const message = err.fields[0]?.message;
  return message ? { message, status: err.code === 'forbidden' ? 403 : 409 } : undefined;
}

export function registerStaffPages(app: RouteTarget): void {
  route(app, 'GET', '/coordinator/staff', 'staff.manage', (c) => staffPage(c, { notice: c.req.query('done') === 'invited' ? 'staff.invite.sent' : c.req.query('done') === 'reset' ? 'staff.reset.done' : c.req.query('done') === 'requested' ? 'staff.reset.requested' : undefined }));

  route(app, 'POST', '/coordinator/staff/invite', 'staff.manage', async (c) => {
    const actor = requireActor(c);
    const deps = c.get('deps');
    const body = await c.req.parseBody();
    const form = { email: text(body, 'email').slice(0, 254), name: text(body, 'name').slice(0, 100), role: text(body, 'role').slice(0, 40) };
    try {
      await inviteStaff(deps.database.db, actor, c.get('tenant'), form, await tenantBaseUrl(deps.database.db, c.get('tenant'), deps.config.publicUrl));
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return staffPage(c, { issues: err.fields, form });
      if (err instanceof AppError && err.code === 'conflict') return staffPage(c, { issues: err.fields, form });
      throw err;
    }
    return c.redirect('/coordinator/staff?done=invited', 303);
  });

  const resetAction = (path: string, run: typeof requestSecondFactorReset | typeof approveSecondFactorReset) =>
    route(app, 'POST', `/coordinator/staff/:id${path}`, 'staff.manage', async (c) => {
      const actor = requireActor(c);
      const id = c.req.param('id') ?? '';
      if (!isUuid(id)) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
      const deps = c.get('deps');
      try {
        const result = await run(deps.database.db, actor, c.get('tenant'), id, await tenantBaseUrl(deps.database.db, c.get('tenant'), deps.config.publicUrl));
        return c.redirect(`/coordinator/staff?done=${result === 'requested' ? 'requested' : 'reset'}`, 303);
      } catch (err) {
        const refusal = refusalOf(err);
        if (refusal) return staffPage(c, { refusal });
        throw err;
      }
    });
  resetAction('/reset', requestSecondFactorReset);
  resetAction('/reset/approve', approveSecondFactorReset);

  route(app, 'GET', '/staff/invitation', 'public', async (c) => {
    const view = viewOf(c);
    const { t } = view;
    const token = c.req.query('token') ?? '';
    const valid = await peekToken(c.get('deps').database.db, c.get('tenant').id, token, 'staff_invitation');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(
      <Layout view={view} title={t('invite.title')}>
        <h1>{t('invite.title')}</h1>
        {valid ? (
          <>
            <p class="lead">{t('invite.lead', { tenant: view.tenantName })}</p>
            <p>{t('invite.next')}</p>
            <p>
              {t('invite.privacy')} <a href="/privacy">{t('join.privacy.link')}</a>
            </p>
            <TokenForm action="/staff/invitation" token={token} csrfToken={view.csrfToken} label={t('invite.accept')} />
          </>
        ) : (
          <p>{t('invite.error.link')}</p>
        )}
      </Layout>,
      valid ? 200 : 400,
    );
  });

  route(app, 'POST', '/staff/invitation', 'public', async (c) => {
    const deps = c.get('deps');
    await rateLimit(deps.database.db, `invite:ip:${c.get('tenant').id}:${clientKey(c)}`, 30, 600);
    const body = await c.req.parseBody();
    const result = await acceptInvitation(deps.database.db, c.get('tenant'), text(body, 'token'));
    return c.redirect(applySignIn(c, result), 303);
  });
}
