import type { Child } from 'hono/jsx';
import { Facts } from '../../ui/facts.tsx';
import { formatDate, type Locale, type MessageKey, type Translate } from '../../ui/i18n/index.ts';
import type { Member } from './schema.ts';

/**
 * A member's record as /me and the coordinator's member page show it: number, status, email,
 * then what the page adds, then the joining date.
 */
export function MemberFacts({ t, locale, member, status, more }: { t: Translate; locale: Locale; member: Pick<Member, 'memberNumber' | 'status' | 'email' | 'createdAt'>; status?: Child; more: ReadonlyArray<readonly [string, Child]> }) {
  return (
    <Facts
      items={[
        [t('me.number'), member.memberNumber],
        [t('me.status'), status ?? t(`status.${member.status}` as MessageKey)],
        [t('me.email'), member.email ?? '—'],
        ...more,
        [t('me.joined'), formatDate(locale, member.createdAt)],
      ]}
    />
  );
}
