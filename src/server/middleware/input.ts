import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context.ts';
import { AppError } from '../errors.ts';

/** Deeper JSON than this is refused: no form or API of ours nests more than a few levels. */
export const MAX_JSON_DEPTH = 64;
const NUL = '\u0000';
const ENCODED_NUL = /%00/i;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function refuseNul(c: Context<AppEnv>): never {
  throw new AppError('bad_request', c.get('t')('error.input.nul'), [], 'error.input.nul');
}

/** Walk parsed JSON without recursion (a deep document must not overflow the stack). */
function checkJson(c: Context<AppEnv>, root: unknown): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes(NUL)) refuseNul(c);
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH) throw new AppError('bad_request', c.get('t')('error.input.deep', { max: MAX_JSON_DEPTH }), [], 'error.input.deep', { max: MAX_JSON_DEPTH });
      for (const [k, v] of Object.entries(value)) {
        if (k.includes(NUL)) refuseNul(c);
        stack.push({ value: v, depth: depth + 1 });
      }
    }
  }
}

/**
 * Input no page or service can store, refused once at the edge with a 400 a person can act on
 * (SECURITY.md 10) instead of a 500 from deep inside:
 * - a NUL byte anywhere (path, query, cookies, headers, form fields, file names, JSON): PostgreSQL
 *   text cannot hold it;
 * - a form body that cannot be parsed (multipart without a boundary, or cut off);
 * - JSON nested deeper than MAX_JSON_DEPTH.
 * Bodies are parsed through Hono's cache, so handlers read the same parse afterwards.
 */
export function inputGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    if (url.includes(NUL) || ENCODED_NUL.test(url)) refuseNul(c);
    for (const [name, value] of c.req.raw.headers) {
      // Cookie values are URL-decoded when read, so %00 there becomes a NUL too.
      if (value.includes(NUL) || (name === 'cookie' && ENCODED_NUL.test(value))) refuseNul(c);
    }
    if (UNSAFE.has(c.req.method)) {
      const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (type === 'multipart/form-data' || type === 'application/x-www-form-urlencoded') {
        let form: Record<string, string | File | Array<string | File>>;
        try {
          form = await c.req.parseBody({ all: true });
        } catch {
          throw new AppError('bad_request', c.get('t')('error.input.form'), [], 'error.input.form');
        }
        for (const [key, entry] of Object.entries(form)) {
          if (key.includes(NUL)) refuseNul(c);
          for (const v of Array.isArray(entry) ? entry : [entry]) {
            if ((typeof v === 'string' ? v : v.name).includes(NUL)) refuseNul(c);
          }
        }
      } else if (type === 'application/json' || type.endsWith('+json')) {
        const text = await c.req.text();
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Malformed JSON is answered where JSON is expected (400 invalid_json on /api).
          parsed = undefined;
        }
        checkJson(c, parsed);
      }
    }
    await next();
  };
}
