import type { Context } from 'hono';
import type { AppEnv } from './context.ts';

/** A posted form: each field a string, or a list of strings when it repeats (check boxes). */
export type Form = Record<string, string | string[]>;

/** The request's form body, files dropped (pages of several modules read their forms with it). */
export async function formOf(c: Context<AppEnv>): Promise<Form> {
  const body = await c.req.parseBody({ all: true });
  const form: Form = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') form[k] = v;
    else if (Array.isArray(v)) form[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return form;
}

/** One field as a string ('' when absent or repeated). */
export const str = (f: Form, k: string) => (typeof f[k] === 'string' ? (f[k] as string) : '');

/** The form as single fields (a repeated field, which these forms never send, reads as ''). */
export async function fieldsOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const form = await formOf(c);
  return Object.fromEntries(Object.keys(form).map((k) => [k, str(form, k)]));
}
