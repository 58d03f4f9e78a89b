import { isUuid } from '../../lib/ids.ts';
import { requireActor, route, type RouteTarget } from '../../server/access.ts';
import { AppError } from '../../server/errors.ts';
import { CsrfField } from '../../ui/forms.tsx';
import type { View } from '../../ui/view.ts';
import { confirmInPerson } from './phone-sign-in.ts';
import type { Member } from './schema.ts';

/** On the coordinator's member page: confirm a pending membership after meeting or calling the person. */
export function InPersonConfirm({ view, member }: { view: View; member: Member }) {
  if (member.status !== 'pending') return null;
  const { t } = view;
  return (
    <section aria-labelledby="in-person">
      <h2 id="in-person">{t('coord.inPerson.title')}</h2>
      <p>{t('coord.inPerson.lead')}</p>
      <form method="post" action={`/coordinator/members/${member.id}/confirm-in-person`}>
        <CsrfField token={view.csrfToken} />
        <button class="button" type="submit">
          {t('coord.inPerson.button')}
        </button>
      </form>
    </section>
  );
}

export function registerInPersonConfirm(app: RouteTarget): void {
  route(app, 'POST', '/coordinator/members/:id/confirm-in-person', 'members.manage', async (c) => {
    const actor = requireActor(c);
    const id = c.req.param('id') ?? '';
    if (!isUuid(id)) throw new AppError('not_found', 'That member was not found.', [], 'error.member.notFound');
    await confirmInPerson(c.get('deps').database.db, actor, id);
    return c.redirect(`/coordinator/members/${id}?done=1`, 303);
  });
}
