// Passkey buttons: shown only when the browser supports WebAuthn; the email link always works.
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';

async function post(url: string, csrf: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
    body: JSON.stringify(body ?? {}),
    credentials: 'same-origin',
  });
  const data = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(((data.error as { message?: string } | undefined)?.message) ?? 'Something went wrong.');
  return data;
}

function wire(button: HTMLButtonElement, run: (csrf: string) => Promise<string>): void {
  const status = document.getElementById(button.dataset.status ?? '');
  button.hidden = false;
  button.addEventListener('click', () => {
    button.disabled = true;
    run(button.dataset.csrf ?? '')
      .then((to) => {
        window.location.href = to;
      })
      .catch((err: unknown) => {
        if (status) status.textContent = err instanceof Error ? err.message : String(err);
        button.disabled = false;
      });
  });
}

if (browserSupportsWebAuthn()) {
  const add = document.querySelector<HTMLButtonElement>('button[data-passkey="register"]');
  if (add) {
    wire(add, async (csrf) => {
      const { challengeId, options } = (await post('/me/passkeys/options', csrf)) as { challengeId: string; options: Parameters<typeof startRegistration>[0]['optionsJSON'] };
      const response = await startRegistration({ optionsJSON: options });
      const done = await post('/me/passkeys', csrf, { challengeId, response });
      return String(done.redirect ?? '/me');
    });
  }
  const signIn = document.querySelector<HTMLButtonElement>('button[data-passkey="authenticate"]');
  if (signIn) {
    wire(signIn, async (csrf) => {
      const { challengeId, options } = (await post('/sign-in/passkey/options', csrf)) as { challengeId: string; options: Parameters<typeof startAuthentication>[0]['optionsJSON'] };
      const response = await startAuthentication({ optionsJSON: options });
      const done = await post('/sign-in/passkey', csrf, { challengeId, response });
      return String(done.redirect ?? '/me');
    });
  }
}
