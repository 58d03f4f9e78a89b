import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { isUuid } from '../../lib/ids.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { CsrfField, ErrorSummary, Field } from '../../ui/forms.tsx';
import { Layout } from '../../ui/layout.tsx';
import { viewOf } from '../../ui/view.ts';
import { areaOverview, pickWardSet, tenantBaseUrl, wardsOf } from '../tenancy/views.ts';
import { editMember, eraseOnRequest, MemberEdit } from './member-admin.ts';
import { canEditMember, canEraseMember } from './policy.ts';
import { findMemberById, rolesOf } from './queries.ts';
import { RELATIONSHIPS, type Member } from './schema.ts';

const EDIT_FIELDS = ['name', 'ward', 'relationship', 'childrenUnder5', 'preferredLocale', 'email', 'phone'] as const;
type EditForm = Partial<Record<(typeof EDIT_FIELDS)[number], string>>;

/** The member of the URL: another tenant's id, a malformed id, a missing or erased member all answer 404. */
async function memberOf(c: Context<AppEnv>): Promise<Member> {
  const id = c.req.param('id') ?? '';
  const member = isUuid(id) ? await findMemberById(c.get('deps').database.db, c.get('tenant').id, id) : undefined;
  if (!member || member.status === 'erased') throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
  return member;
}

/** The frame both forms on a member's record share: back link, heading, lead, errors, the form with its actions. */
function MemberFormPage(props: { c: Context<AppEnv>; member: Member; issues: FieldIssue[]; kind: 'edit' | 'erase'; children: Child }) {
  const { c, member, issues, kind } = props;
  const view = viewOf(c);
  const { t } = view;
  const title = t(kind === 'edit' ? 'memberAdmin.edit.title' : 'memberAdmin.erase.title');
  return (
    <Layout view={view} title={title}>
      <p>
        <a href={`/coordinator/members/${member.id}`}>{member.name}</a>
      </p>
      <h1>{title}</h1>
      <p>{t(kind === 'edit' ? 'memberAdmin.edit.lead' : 'memberAdmin.erase.lead')}</p>
      <ErrorSummary t={t} issues={issues} />
      <form method="post" action={`/coordinator/members/${member.id}/${kind}`} novalidate>
        <CsrfField token={view.csrfToken} />
        {props.children}
        <div class="actions">
          <button class={kind === 'edit' ? 'button' : 'button button-danger'} type="submit">
            {t(kind === 'edit' ? 'memberAdmin.save' : 'memberAdmin.erase.button')}
          </button>
          <a href={`/coordinator/members/${member.id}`}>{t('memberAdmin.cancel')}</a>
        </div>
      </form>
    </Layout>
  );
}

async function editPage(c: Context<AppEnv>, member: Member, issues: FieldIssue[], form?: EditForm) {
  const view = viewOf(c);
  const { t } = view;
  const db = c.get('deps').database.db;
  const tenant = c.get('tenant');
  const wards = await wardsOf(db, tenant, pickWardSet(await areaOverview(db, tenant), undefined));
  const value = {
    name: form?.name ?? member.name,
    ward: form?.ward ?? wards.find((w) => w.id === member.wardId)?.code ?? '',
    relationship: form?.relationship ?? member.relationship,
    childrenUnder5: form?.childrenUnder5 ?? (member.childrenUnder5 === null ? '' : String(member.childrenUnder5)),
    preferredLocale: form?.preferredLocale ?? member.preferredLocale,
    email: form?.email ?? '',
    phone: form?.phone ?? '',
  };
  return c.html(
    <MemberFormPage c={c} member={member} issues={issues} kind="edit">
      <>
        <Field t={t} name="name" label={t('join.name')} issues={issues}>
          {(a) => <input type="text" {...a} value={value.name} autocomplete="off" maxlength={100} />}
        </Field>
        <Field t={t} name="ward" label={t('coord.ward')} issues={issues}>
          {(a) => (
            <select {...a}>
              {wards.map((w) => (
                <option value={w.code} selected={w.code === value.ward}>
                  {w.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field t={t} name="relationship" label={t('coord.relationship')} issues={issues}>
          {(a) => (
            <select {...a}>
              {RELATIONSHIPS.map((r) => (
                <option value={r} selected={value.relationship === r}>
                  {t(`relationship.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field t={t} name="childrenUnder5" label={t('join.children')} issues={issues}>
          {(a) => <input type="number" {...a} value={value.childrenUnder5} min={0} max={20} inputmode="numeric" />}
        </Field>
        <Field t={t} name="preferredLocale" label={t('join.language')} issues={issues}>
          {(a) => (
            <select {...a}>
              <option value="en" selected={value.preferredLocale === 'en'}>
                English
              </option>
              <option value="pl" lang="pl" selected={value.preferredLocale === 'pl'}>
                Polski
              </option>
            </select>
          )}
        </Field>
        <Field t={t} name="email" label={t('memberAdmin.email.new')} hint={t('memberAdmin.email.hint', { email: member.email ?? t('memberAdmin.none') })} issues={issues}>
          {(a) => <input type="email" {...a} value={value.email} autocomplete="off" spellcheck={false} />}
        </Field>
        <Field t={t} name="phone" label={t('memberAdmin.phone.new')} hint={t('memberAdmin.phone.hint', { phone: member.phone ?? t('memberAdmin.none') })} issues={issues}>
          {(a) => <input type="tel" {...a} value={value.phone} autocomplete="off" />}
        </Field>
      </>
    </MemberFormPage>,
    issues.length ? 400 : 200,
  );
}

function erasePage(c: Context<AppEnv>, member: Member, issues: FieldIssue[]) {
  const { t } = viewOf(c);
  return c.html(
    <MemberFormPage c={c} member={member} issues={issues} kind="erase">
      <Field t={t} name="confirmNumber" label={t('memberAdmin.erase.number', { number: member.memberNumber })} issues={issues}>
        {(a) => <input type="text" {...a} inputmode="numeric" autocomplete="off" />}
      </Field>
    </MemberFormPage>,
    issues.length ? 400 : 200,
  );
}

/** Refuse a staff record to a coordinator before showing a form they could not use. */
async function requireEditable(c: Context<AppEnv>, member: Member, kind: 'edit' | 'erase'): Promise<void> {
  const actor = requireActor(c);
  const roles = await rolesOf(c.get('deps').database.db, actor.tenantId, member.id);
  const ok = kind === 'edit' ? canEditMember(actor, roles) : canEraseMember(actor, { memberId: member.id, roles });
  if (!ok) throw new AppError('forbidden', kind === 'edit' ? 'Staff records are changed by an admin.' : 'Staff records are erased by an admin.', [], kind === 'edit' ? 'memberAdmin.error.staff' : 'memberAdmin.error.staffErase');
}

export function registerMemberEditPages(app: RouteTarget): void {
  route(app, 'GET', '/coordinator/members/:id/edit', 'members.manage', async (c) => {
    const member = await memberOf(c);
    await requireEditable(c, member, 'edit');
    return editPage(c, member, []);
  });

  route(app, 'POST', '/coordinator/members/:id/edit', 'members.manage', async (c) => {
    const actor = requireActor(c);
    const member = await memberOf(c);
    const body = await c.req.parseBody();
    const form: EditForm = Object.fromEntries(EDIT_FIELDS.map((k) => [k, typeof body[k] === 'string' ? body[k] : undefined]));
    const parsed = MemberEdit.safeParse(form);
    if (!parsed.success) {
      await requireEditable(c, member, 'edit');
      return editPage(c, member, fieldIssues(parsed.error), form);
    }
    const deps = c.get('deps');
    const tenant = c.get('tenant');
    const set = pickWardSet(await areaOverview(deps.database.db, tenant), undefined);
    const notify = { tenant, baseUrl: await tenantBaseUrl(deps.database.db, tenant, deps.config.publicUrl) };
    try {
      const result = await editMember(deps.database.db, actor, notify, set.id, member.id, parsed.data);
      return c.redirect(`/coordinator/members/${member.id}?done=${result.pending.length ? 'pending' : '1'}`, 303);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'conflict')) return editPage(c, member, err.fields, form);
      throw err;
    }
  });

  route(app, 'GET', '/coordinator/members/:id/erase', 'members.manage', async (c) => {
    const member = await memberOf(c);
    await requireEditable(c, member, 'erase');
    return erasePage(c, member, []);
  });

  route(app, 'POST', '/coordinator/members/:id/erase', 'members.manage', async (c) => {
    const actor = requireActor(c);
    const member = await memberOf(c);
    const body = await c.req.parseBody();
    try {
      await eraseOnRequest(c.get('deps').database.db, actor, member.id, typeof body.confirmNumber === 'string' ? body.confirmNumber : '');
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return erasePage(c, member, err.fields);
      throw err;
    }
    return c.redirect(`/coordinator/members/${member.id}?done=erased`, 303);
  });
}
