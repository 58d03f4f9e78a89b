import type { Child } from 'hono/jsx';
import { CsrfField } from './forms.tsx';

/**
 * The one button of a page opened from an emailed link (join confirmation, sign-in link, staff
 * invitation, email change): only the POST uses the token, so a mail scanner that follows the
 * link changes nothing. Pages set `Referrer-Policy: no-referrer` themselves (the token is in the URL).
 */
export function TokenForm({ action, token, csrfToken, label, children }: { action: string; token: string; csrfToken: string; label: string; children?: Child }) {
  return (
    <form method="post" action={action}>
      <CsrfField token={csrfToken} />
      <input type="hidden" name="token" value={token} />
      {children}
      <button class="button" type="submit">
        {label}
      </button>
    </form>
  );
}
