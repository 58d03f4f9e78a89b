import { DemoTag } from '../../ui/demo.tsx';
import type { Context } from 'hono';
import { z } from 'zod';
import { isUuid } from '../../lib/ids.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { CsrfField, ErrorSummary, issueText } from '../../ui/forms.tsx';
import { MemberFacts } from './member-facts.tsx';
import { isoDate } from '../../lib/dates.ts';
import { formatDate, messageText, type MessageKey } from '../../ui/i18n/index.ts';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { areaOverview, pickWardSet, wardsOf } from '../tenancy/views.ts';
import { canEditMember, canEraseMember, canGrantRole, type Actor } from './policy.ts';
import { findMemberById, representativesOfMember, rolesOf, statusHistory } from './queries.ts';
import { ROLES, type Role } from './schema.ts';
import { InPersonConfirm } from './pages-confirm-in-person.tsx';
import { appointRepresentative, changeMemberStatus, grantRole, removeRole, setSuspended, standDownRepresentative } from './service.ts';

const field = (body: Record<string, string | File>, name: string): string => (typeof body[name] === 'string' ? body[name] : '');

/** A refusal that belongs next to a form field (shown on the page again), not on an error page. */
function isFormProblem(err: unknown): err is AppError {
  return err instanceof AppError && (err.code === 'validation_failed' || err.code === 'conflict') && err.fields.length > 0;
}

/** A member's record for staff: facts, status, suspension, roles, ward representation, history. */
export function registerMemberRecordPages(app: RouteTarget): void {
  /**
   * The member's page; after a refused change, with the form's problems (and what was typed) shown,
   * or with why a standing change was refused (someone at or above you, the last admin).
   */
  const memberPage = async (c: Context<AppEnv>, message?: MessageKey, failed?: { status: 400 | 403 | 409; issues: FieldIssue[]; appointment?: string; typed?: string; refusal?: string }) => {
    const issues = failed?.issues ?? [];
    const issueOf = (field: string) => issues.find((i) => i.field === field);
    const view = viewOf(c);
    const { t, locale } = view;
    const actor = requireActor(c);
    const id = c.req.param('id') ?? '';
    const db = c.get('deps').database.db;
    const tenant = c.get('tenant');
    // Another tenant's id, a malformed id and a missing member all look the same: 404.
    const member = isUuid(id) ? await findMemberById(db, tenant.id, id) : undefined;
    if (!member) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
    const [roles, history, reps, set] = await Promise.all([
      rolesOf(db, tenant.id, member.id),
      statusHistory(db, tenant.id, member.id),
      representativesOfMember(db, tenant.id, member.id),
      areaOverview(db, tenant).then((o) => pickWardSet(o, undefined)),
    ]);
    const wards = await wardsOf(db, tenant, set);
    const wardName = (wardId: string | null) => wards.find((w) => w.id === wardId)?.name ?? '—';
    const today = isoDate();
    const grantable = ROLES.filter((r) => !roles.includes(r) && canGrantRole(actor, r) && r !== 'ward_rep');
    return c.html(
      <Layout view={view} title={member.name || t('coord.erased')}>
        <p>
          <a href="/coordinator/members">{t('coord.back')}</a>
        </p>
        <h1>
          {member.name || t('coord.erased')}
          {member.isDemo ? <DemoTag t={t} /> : null}
        </h1>
        {message ? (
          <p class="success" role="status">
            {t(message)}
          </p>
        ) : null}
        {failed?.refusal ? (
          <p class="error" role="alert">
            {messageText(t, failed.refusal)}
          </p>
        ) : null}
        <ErrorSummary t={t} issues={issues} />
        <MemberFacts
          t={t}
          locale={locale}
          member={member}
          status={
            <>
              {t(`status.${member.status}`)}
              {member.suspendedAt ? ` (${t('coord.suspended')})` : ''}
            </>
          }
          more={[
            [t('coord.phone'), member.phone ?? '—'],
            [t('coord.ward'), wardName(member.wardId)],
            [t('coord.relationship'), t(`relationship.${member.relationship}`)],
          ]}
        />
        {member.pendingEmail ? <p>{t('memberAdmin.pending.email', { email: member.pendingEmail })}</p> : null}
        {member.pendingPhone ? <p>{t('memberAdmin.pending.phone', { phone: member.pendingPhone })}</p> : null}
        {member.status === 'erased' ? null : canEditMember(actor, roles) ? (
          <p class="actions">
            <a href={`/coordinator/members/${member.id}/edit`}>{t('memberAdmin.edit.link')}</a>
            {canEraseMember(actor, { memberId: member.id, roles }) ? <a href={`/coordinator/members/${member.id}/erase`}>{t('memberAdmin.erase.link')}</a> : null}
          </p>
        ) : (
          <p>{t('memberAdmin.staffOnly')}</p>
        )}
        {member.status === 'erased' ? null : (
          <>
            <h2>{t('coord.status.title')}</h2>
            <form method="post" action={`/coordinator/members/${member.id}/status`} class="actions">
              <CsrfField token={view.csrfToken} />
              <label for="f-status">{t('me.status')}</label>
              <select id="f-status" name="status">
                {(['pending', 'active', 'lapsed', 'left'] as const).map((s) => (
                  <option value={s} selected={s === member.status}>
                    {t(`status.${s}`)}
                  </option>
                ))}
              </select>
              <button class="button" type="submit">
                {t('coord.status.save')}
              </button>
            </form>
            <InPersonConfirm view={view} member={member} />
            <form method="post" action={`/coordinator/members/${member.id}/suspend`}>
              <CsrfField token={view.csrfToken} />
              <input type="hidden" name="suspended" value={member.suspendedAt ? 'no' : 'yes'} />
              <button class="button button-secondary" type="submit">
                {member.suspendedAt ? t('coord.unsuspend') : t('coord.suspend')}
              </button>
            </form>
            <h2>{t('me.roles')}</h2>
            <ul>
              {roles.map((r) => (
                <li>
                  {t(`role.${r}`)}
                  {r !== 'member' && r !== 'ward_rep' && canGrantRole(actor, r) ? (
                    <form method="post" action={`/coordinator/members/${member.id}/roles/remove`} class="inline-form">
                      <CsrfField token={view.csrfToken} />
                      <input type="hidden" name="role" value={r} />{' '}
                      <button class="button button-secondary" type="submit" aria-label={t('coord.roles.removeNamed', { role: t(`role.${r}`) })}>
                        {t('coord.roles.remove')}
                      </button>
                    </form>
                  ) : null}
                </li>
              ))}
            </ul>
            {grantable.length ? (
              <form method="post" action={`/coordinator/members/${member.id}/roles/grant`} class="actions">
                <CsrfField token={view.csrfToken} />
                <label for="f-role">{t('coord.roles.grant')}</label>
                <select id="f-role" name="role">
                  {grantable.map((r) => (
                    <option value={r}>{t(`role.${r}`)}</option>
                  ))}
                </select>
                <button class="button" type="submit">
                  {t('coord.roles.grantButton')}
                </button>
              </form>
            ) : null}
            <h2>{t('coord.reps.title')}</h2>
            {reps.length ? (
              <ul>
                {reps.map((r) => {
                  // The stand-down form that was refused carries the error (and the summary links to it).
                  const issue = failed?.appointment === r.id ? issueOf('endsOn') : undefined;
                  const inputId = issue ? 'f-endsOn' : `f-end-${r.id}`;
                  return (
                    <li>
                      {wardName(r.wardId)}: {formatDate(locale, r.startsOn)}
                      {r.endsOn ? ` – ${formatDate(locale, r.endsOn)}` : ''}
                      {r.endsOn ? null : (
                        <form method="post" action={`/coordinator/members/${member.id}/reps/${r.id}/stand-down`} class={issue ? 'actions field-error' : 'actions'}>
                          <CsrfField token={view.csrfToken} />
                          <label for={inputId}>{t('coord.reps.endsOn')}</label>
                          {issue ? (
                            <p class="error" id={`${inputId}-error`}>
                              {issueText(t, issue.message)}
                            </p>
                          ) : null}
                          <input type="date" id={inputId} name="endsOn" value={issue ? (failed?.typed ?? today) : today} {...(issue ? { 'aria-invalid': 'true', 'aria-describedby': `${inputId}-error` } : {})} />
                          <button class="button button-secondary" type="submit">
                            {t('coord.reps.standDown')}
                          </button>
                        </form>
                      )}
                    </li>
                  );
                })}
              </ul>
            ) : (
              <p>{t('coord.reps.none')}</p>
            )}
            {member.status === 'active' ? (
              <form method="post" action={`/coordinator/members/${member.id}/reps/appoint`}>
                <CsrfField token={view.csrfToken} />
                <div class="field">
                  <label for="f-ward">{t('coord.reps.ward')}</label>
                  <select id="f-ward" name="ward">
                    {wards.map((w) => (
                      <option value={w.code} selected={w.id === member.wardId}>
                        {w.name}
                      </option>
                    ))}
                  </select>
                </div>
                <div class={issueOf('startsOn') ? 'field field-error' : 'field'}>
                  <label for="f-startsOn">{t('coord.reps.startsOn')}</label>
                  {issueOf('startsOn') ? (
                    <p class="error" id="f-startsOn-error">
                      {issueText(t, issueOf('startsOn')?.message ?? '')}
                    </p>
                  ) : null}
                  <input type="date" id="f-startsOn" name="startsOn" value={issueOf('startsOn') ? (failed?.typed ?? today) : today} {...(issueOf('startsOn') ? { 'aria-invalid': 'true', 'aria-describedby': 'f-startsOn-error' } : {})} />
                </div>
                <button class="button" type="submit">
                  {t('coord.reps.appoint')}
                </button>
              </form>
            ) : null}
          </>
        )}
        <h2>{t('coord.history')}</h2>
        <ul>
          {history.map((h) => (
            <li>
              {formatDate(locale, h.changedAt)}: {t(`status.${h.status}`)}
            </li>
          ))}
        </ul>
      </Layout>,
      failed?.status ?? 200,
    );
  };

  const DONE: Record<string, MessageKey> = { '1': 'coord.saved', pending: 'memberAdmin.savedPending', erased: 'memberAdmin.erased' };
  route(app, 'GET', '/coordinator/members/:id', 'members.manage', (c) => memberPage(c, DONE[c.req.query('done') ?? '']));

  const memberAction = (path: string, run: (c: Context<AppEnv>, actor: Actor, memberId: string, body: Record<string, string | File>) => Promise<void>) =>
    route(app, 'POST', `/coordinator/members/:id${path}`, 'members.manage', async (c) => {
      const actor = requireActor(c);
      const id = c.req.param('id') ?? '';
      const member = isUuid(id) ? await findMemberById(c.get('deps').database.db, actor.tenantId, id) : undefined;
      if (!member) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
      const body = await c.req.parseBody();
      try {
        await run(c, actor, member.id, body);
      } catch (err) {
        // Standing rules (someone at or above you, the last admin): the member page says why.
        const refusal = err instanceof AppError && (err.code === 'forbidden' || err.code === 'conflict') && err.fields[0]?.field === 'member' ? err.fields[0].message : undefined;
        if (err instanceof AppError && refusal) return memberPage(c, undefined, { status: err.code === 'forbidden' ? 403 : 409, issues: [], refusal });
        if (!isFormProblem(err)) throw err;
        return memberPage(c, undefined, { status: err.code === 'conflict' ? 409 : 400, issues: err.fields, typed: field(body, 'startsOn') });
      }
      return c.redirect(`/coordinator/members/${member.id}?done=1`, 303);
    });

  const roleFrom = (body: Record<string, string | File>): Role => {
    const parsed = z.enum(ROLES).safeParse(field(body, 'role'));
    if (!parsed.success) throw new AppError('validation_failed', 'role: choose a role from the list', [{ field: 'role', message: 'roles.error.notAllowed' }]);
    return parsed.data;
  };

  memberAction('/status', async (c, actor, memberId, body) => {
    const parsed = z.enum(['pending', 'active', 'lapsed', 'left']).safeParse(field(body, 'status'));
    if (!parsed.success) throw new AppError('validation_failed', 'status: choose pending, active, lapsed or left', [], 'error.status.choose');
    await changeMemberStatus(c.get('deps').database.db, actor, memberId, parsed.data);
  });
  memberAction('/suspend', (c, actor, memberId, body) => setSuspended(c.get('deps').database.db, actor, memberId, field(body, 'suspended') === 'yes'));
  memberAction('/roles/grant', (c, actor, memberId, body) => grantRole(c.get('deps').database.db, actor, memberId, roleFrom(body)));
  memberAction('/roles/remove', (c, actor, memberId, body) => removeRole(c.get('deps').database.db, actor, memberId, roleFrom(body)));
  memberAction('/reps/appoint', async (c, actor, memberId, body) => {
    const db = c.get('deps').database.db;
    const tenant = c.get('tenant');
    const set = pickWardSet(await areaOverview(db, tenant), undefined);
    const ward = (await wardsOf(db, tenant, set)).find((w) => w.code === field(body, 'ward'));
    if (!ward) throw new AppError('validation_failed', 'ward: choose a ward from the list', [{ field: 'ward', message: 'join.error.ward' }]);
    await appointRepresentative(db, actor, { memberId, wardId: ward.id, startsOn: field(body, 'startsOn') });
  });
  route(app, 'POST', '/coordinator/members/:id/reps/:appointment/stand-down', 'members.manage', async (c) => {
    const actor = requireActor(c);
    const id = c.req.param('id') ?? '';
    const appointment = c.req.param('appointment') ?? '';
    if (!isUuid(id) || !isUuid(appointment)) throw new AppError('not_found', 'That appointment was not found.', [], 'error.appointment.notFound');
    const body = await c.req.parseBody();
    try {
      await standDownRepresentative(c.get('deps').database.db, actor, { memberId: id, appointmentId: appointment, endsOn: field(body, 'endsOn') });
    } catch (err) {
      if (!isFormProblem(err)) throw err;
      return memberPage(c, undefined, { status: err.code === 'conflict' ? 409 : 400, issues: err.fields, appointment, typed: field(body, 'endsOn') });
    }
    return c.redirect(`/coordinator/members/${id}?done=1`, 303);
  });
}
