import type { Hono } from 'hono';
import type { AppEnv } from '../server/context.ts';
import { csrfTokenFor } from '../server/middleware/csrf.ts';
import { TEST_SECRET } from './app.ts';

/** A tiny browser for in-process tests: keeps cookies per host and adds the CSRF token to forms. */
export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: Hono<AppEnv>,
    readonly host: string,
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(await this.app.request(path, { headers: { host: this.host, cookie: this.cookieHeader(), ...headers } }));
  }

  /** The CSRF token a page would carry for this client's cookie. */
  csrf(): string {
    const cookie = this.cookies.get('pm_csrf');
    if (!cookie) throw new Error('no CSRF cookie yet: GET a page first');
    return csrfTokenFor(TEST_SECRET, cookie);
  }

  async postMultipart(path: string, fields: Record<string, string>, file: { name: string; field: string; content: string | Uint8Array<ArrayBuffer>; type?: string }): Promise<Response> {
    if (!this.cookies.has('pm_csrf')) await this.get('/');
    const form = new FormData();
    form.set('_csrf', this.csrf());
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set(file.field, new Blob([file.content], { type: file.type ?? 'text/csv' }), file.name);
    return this.keep(await this.app.request(path, { method: 'POST', headers: { host: this.host, cookie: this.cookieHeader() }, body: form }));
  }

  async post(path: string, form: Record<string, string>, opts: { csrf?: string | false } = {}): Promise<Response> {
    if (!this.cookies.has('pm_csrf')) await this.get('/');
    const body = new URLSearchParams(form);
    if (opts.csrf !== false) body.set('_csrf', opts.csrf ?? this.csrf());
    return this.keep(
      await this.app.request(path, {
        method: 'POST',
        headers: { host: this.host, cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      }),
    );
  }
}
