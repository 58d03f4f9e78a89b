import pino from 'pino';
import { sha256Hex } from '../lib/hash.ts';

export type Logger = pino.Logger;

/**
 * JSON-lines logs with no personal data: we log ids, routes and codes, never bodies, emails,
 * names, query strings or cookies. The redact list is a second line of defence; errors go
 * through describeError (also as the `err` serialiser), which never logs a query's parameters.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    serializers: { err: describeError, error: describeError },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.email', '*.phone', '*.name', '*.password', '*.token'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
const SAFE_CODE = /^[A-Za-z0-9_.-]{1,40}$/;
const SAFE_IDENT = /^[A-Za-z0-9_.]{1,63}$/;

type ErrorLike = Record<string, unknown> & { name?: unknown; message?: unknown; stack?: unknown; cause?: unknown };

/** The statement kind and first table of a SQL text, e.g. `insert "members"`: names, never values. */
export function describeStatement(sql: string): string {
  const verb = /^\s*(select|insert|update|delete|with|alter|create|truncate)\b/i.exec(sql)?.[1]?.toLowerCase() ?? 'sql';
  const table = /\b(?:from|into|update|table)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?/i.exec(sql)?.[1];
  return table ? `${verb} "${table}"` : verb;
}

/** Stack frames only: the first lines of a stack repeat the message, which can quote values. */
function frames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const lines = stack.split('\n').filter((l) => /^\s+at /.test(l));
  return lines.length ? lines.join('\n') : undefined;
}

function chain(err: ErrorLike): ErrorLike[] {
  const out: ErrorLike[] = [];
  for (let e: unknown = err; e && typeof e === 'object' && out.length < 5; e = (e as ErrorLike).cause) out.push(e as ErrorLike);
  return out;
}

/**
 * An error as it may be logged. A failed query (drizzle's DrizzleQueryError, or a pg / PGlite
 * error) is logged by its SQLSTATE, constraint and table and by what the query was (statement
 * kind, table, a fingerprint of its text), never by its message, parameters or detail: those
 * quote the values ("Key (email)=(…)", "params: Ann,ann@example.org").
 */
export function describeError(err: unknown): Record<string, unknown> {
  if (typeof err !== 'object' || err === null) return { type: typeof err };
  const links = chain(err as ErrorLike);
  const top = links[0] as ErrorLike;
  const out: Record<string, unknown> = { type: typeof top.name === 'string' ? top.name : 'Error' };
  const query = links.find((e) => typeof e.query === 'string' && 'params' in e)?.query as string | undefined;
  const db = links.find((e) => typeof e.code === 'string' && SQLSTATE.test(e.code));
  if (db || query !== undefined) {
    if (db) {
      out.code = db.code;
      for (const field of ['constraint', 'table', 'column', 'routine'] as const) {
        const v = db[field];
        if (typeof v === 'string' && SAFE_IDENT.test(v)) out[field] = v;
      }
    }
    if (query !== undefined) out.query = { statement: describeStatement(query), fingerprint: sha256Hex(query).slice(0, 12) };
  } else {
    if (typeof top.code === 'string' && SAFE_CODE.test(top.code)) out.code = top.code;
    if (typeof top.message === 'string') out.message = top.message;
  }
  const stack = frames(top.stack);
  if (stack) out.stack = stack;
  return out;
}
