import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/compress';
import type { AppEnv } from '../context.ts';

/** Bodies smaller than this go as they are: compression would save next to nothing. */
export const COMPRESS_THRESHOLD = 1024;

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
type Encoding = 'br' | 'gzip';
/** At equal weight the client gets brotli (smaller than gzip for our HTML, CSS and JSON). */
const PREFERENCE: Encoding[] = ['br', 'gzip'];
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;
const VARY_ACCEPT_ENCODING = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i;

/** The best encoding the client accepts (RFC 9110 §12.5.3 weights), or none. */
export function chooseEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    if (name) weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  let best: { encoding: Encoding; q: number } | undefined;
  for (const encoding of PREFERENCE) {
    const q = weights.get(encoding) ?? weights.get('*') ?? 0;
    if (q > 0 && (!best || q > best.q)) best = { encoding, q };
  }
  return best?.encoding;
}

function compressBody(body: Uint8Array, encoding: Encoding): Promise<Buffer> {
  if (encoding === 'gzip') return gz(body);
  // Quality 5: most of brotli's gain at a fraction of the CPU of 11, right for per-request pages.
  return brotli(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength },
  });
}

/**
 * Response compression with node:zlib: brotli where the client accepts it, else gzip. Only text
 * types (never zip or png, which are compressed already), only bodies of COMPRESS_THRESHOLD bytes
 * or more, and always `Vary: Accept-Encoding` on a type that could be compressed, so caches keep
 * the variants apart.
 */
export function compression(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const res = c.res;
    const type = res.headers.get('content-type');
    // `res.body` is not read until a body is to be compressed: reading it turns @hono/node-server's
    // lightweight response (a string written in one go) into a streamed one, which costs a vote
    // under load more CPU than the rest of the response (bench/budget-voting.ts).
    if (c.req.method === 'HEAD' || res.status === 204 || res.status === 206 || res.status === 304) return;
    if (res.headers.has('content-encoding') || !type || !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type)) return;
    if (NO_TRANSFORM.test(res.headers.get('cache-control') ?? '')) return;
    const vary = res.headers.get('vary');
    if (vary !== '*' && !(vary && VARY_ACCEPT_ENCODING.test(vary))) res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const declared = res.headers.get('content-length');
    if (declared !== null && Number(declared) < COMPRESS_THRESHOLD) return;
    const encoding = chooseEncoding(c.req.header('accept-encoding'));
    if (!encoding || !res.body) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const out = body.byteLength < COMPRESS_THRESHOLD ? body : new Uint8Array(await compressBody(body, encoding));
    c.res = new Response(out, res);
    c.res.headers.set('Content-Length', String(out.byteLength));
    if (out === body) return;
    c.res.headers.set('Content-Encoding', encoding);
    const etag = c.res.headers.get('etag');
    if (etag && !etag.startsWith('W/')) c.res.headers.set('ETag', `W/${etag}`);
  };
}
