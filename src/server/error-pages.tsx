import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { Layout } from '../ui/layout.tsx';
import { isLocale, localeFromAcceptLanguage, messageText, translator, type Locale, type MessageKey, type Translate } from '../ui/i18n/index.ts';
import { viewOf, type View } from '../ui/view.ts';
import type { AppEnv } from './context.ts';
import { AppError, type ErrorCode } from './errors.ts';

function wantsJson(c: Context<AppEnv>): boolean {
  const path = new URL(c.req.url).pathname;
  return path.startsWith('/api/') || path === '/healthz' || path === '/readyz';
}

/** Any thrown value → an AppError, deciding by type and status, never by message text. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    const byStatus: Partial<Record<number, ErrorCode>> = {
      400: 'bad_request',
      401: 'unauthenticated',
      403: 'forbidden',
      404: 'not_found',
      413: 'payload_too_large',
      415: 'unsupported_media_type',
      429: 'rate_limited',
    };
    const code = byStatus[err.status];
    if (code) return new AppError(code, err.status === 413 ? 'The request body is too large.' : err.message || code, [], CODE_TEXT[code].body);
  }
  return new AppError('internal', 'Something went wrong on our side. Please try again.');
}

/** What a person reads for each code when the error carries no key of its own (STYLE.md 7: exhaustive). */
const CODE_TEXT = {
  bad_request: { title: 'error.request.title', body: 'error.request.body' },
  invalid_json: { title: 'error.request.title', body: 'error.json.body' },
  validation_failed: { title: 'error.400.title', body: 'error.validation.body' },
  unauthenticated: { title: 'error.401.title', body: 'error.401.body' },
  csrf_failed: { title: 'error.403.title', body: 'error.403.body' },
  forbidden: { title: 'error.403.title', body: 'error.forbidden.body' },
  not_found: { title: 'error.404.title', body: 'error.404.body' },
  unknown_host: { title: 'error.unknownHost.title', body: 'error.unknownHost.body' },
  conflict: { title: 'error.conflict.title', body: 'error.conflict.body' },
  idempotency_conflict: { title: 'error.conflict.title', body: 'error.idempotency.conflict' },
  idempotency_in_progress: { title: 'error.conflict.title', body: 'error.idempotency.inProgress' },
  payload_too_large: { title: 'error.413.title', body: 'error.413.body' },
  unsupported_media_type: { title: 'error.415.title', body: 'error.415.body' },
  rate_limited: { title: 'error.429.title', body: 'error.429.body' },
  internal: { title: 'error.500.title', body: 'error.500.body' },
  database_unavailable: { title: 'error.500.title', body: 'error.503.body' },
} as const satisfies Record<ErrorCode, { title: MessageKey; body: MessageKey }>;

/** Codes whose page says why even when fields are listed (as it always did); others let the fields speak. */
const BODY_WITH_FIELDS = new Set<ErrorCode>(['unauthenticated', 'csrf_failed', 'forbidden', 'not_found', 'payload_too_large', 'rate_limited']);

/** The error's own words in the reader's language, or the words for its code. */
function errorBody(t: Translate, err: AppError, ref: string): string {
  return err.key ? t(err.key, err.params) : t(CODE_TEXT[err.code].body, { ref });
}

/**
 * Field messages in words: catalogue keys are translated; plain text (older callers) is shown
 * only to English readers, so nobody else gets an English sentence.
 */
function fieldTexts(t: Translate, locale: Locale, err: AppError): string[] {
  const texts = err.fields.map((f) => {
    const text = messageText(t, f.message);
    return text !== f.message || locale === 'en' ? text : undefined;
  });
  return [...new Set(texts.filter((x): x is string => x !== undefined))];
}

function safeView(c: Context<AppEnv>): View {
  if (c.get('t')) return viewOf(c);
  // The failure came before the locale middleware (e.g. unknown host): work it out here.
  // Same order as the locale middleware, less the tenant's default (no tenant yet).
  const fromQuery = c.req.query('lang');
  const fromCookie = getCookie(c, 'lang');
  const locale = isLocale(fromQuery) ? fromQuery : isLocale(fromCookie) ? fromCookie : (localeFromAcceptLanguage(c.req.header('accept-language')) ?? 'en');
  c.set('locale', locale);
  c.set('t', translator(locale));
  return viewOf(c);
}

export function renderError(c: Context<AppEnv>, err: AppError) {
  const requestId = c.get('requestId') ?? '';
  const status = err.status as ContentfulStatusCode;
  if (wantsJson(c)) {
    // Field messages are catalogue keys where the service knows one: send the words, in the caller's language.
    const view = safeView(c);
    const { t } = view;
    const fields = err.fields.map((f) => ({ field: f.field, message: messageText(t, f.message) }));
    // English keeps the service's sentence; other languages get the catalogue's words for it.
    let message = err.message;
    if (view.locale !== 'en') {
      message = !err.key && err.code === 'validation_failed' && fields.length ? t('error.validation.summary', { list: fields.map((f) => `${f.field}: ${f.message}`).join('; ') }) : errorBody(t, err, requestId);
    }
    return c.json({ error: { code: err.code, message, fields, requestId } }, status);
  }
  if (err.code === 'unauthenticated' && c.req.method === 'GET') {
    // People who are not signed in are sent to sign in (no return URL: it could carry data).
    return c.redirect('/sign-in', 303);
  }
  const view = safeView(c);
  const { t } = view;
  if (err.code === 'unknown_host') {
    return c.html(
      <Layout view={{ ...view, tenantName: 'Parent Mutual' }} title={t('error.unknownHost.title')} bare>
        <h1>{t('error.unknownHost.title')}</h1>
        <p>{t('error.unknownHost.body')}</p>
      </Layout>,
      404,
    );
  }
  const title = t(CODE_TEXT[err.code].title);
  // People see what to fix in their language; field names, catalogue keys and the English sentence are for the API.
  const listed = fieldTexts(t, view.locale, err);
  const body = err.key || listed.length === 0 || err.status >= 500 || BODY_WITH_FIELDS.has(err.code) ? errorBody(t, err, requestId) : undefined;
  return c.html(
    <Layout view={view} title={title}>
      <h1>{title}</h1>
      {body ? <p>{body}</p> : null}
      {listed.length > 0 ? (
        <ul>
          {listed.map((m) => (
            <li>{m}</li>
          ))}
        </ul>
      ) : null}
      <p>
        <a href="/">{t('error.home')}</a>
      </p>
    </Layout>,
    status,
  );
}

export function onError(err: Error, c: Context<AppEnv>) {
  const appError = toAppError(err);
  if (appError.status >= 500) {
    // The logger's err serialiser (describeError) keeps a failed query's values out of the log.
    c.get('deps').logger.error({ requestId: c.get('requestId'), err }, 'unhandled error');
  }
  return renderError(c, appError);
}

export function onNotFound(c: Context<AppEnv>) {
  return renderError(c, new AppError('not_found', 'There is nothing at this address.', [], 'error.404.body'));
}
