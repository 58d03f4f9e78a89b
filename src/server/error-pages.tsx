import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { Layout } from '../ui/layout.tsx';
import { isLocale, localeFromAcceptLanguage, messageText, translator, type MessageKey } from '../ui/i18n/index.ts';
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
    if (code) return new AppError(code, err.status === 413 ? 'The request body is too large.' : err.message || code);
  }
  return new AppError('internal', 'Something went wrong on our side. Please try again.');
}

const PAGE_TEXT: Partial<Record<number, { title: MessageKey; body?: MessageKey }>> = {
  400: { title: 'error.400.title' },
  401: { title: 'error.401.title', body: 'error.401.body' },
  403: { title: 'error.403.title', body: 'error.403.body' },
  404: { title: 'error.404.title', body: 'error.404.body' },
  413: { title: 'error.413.title', body: 'error.413.body' },
  429: { title: 'error.429.title', body: 'error.429.body' },
};

function safeView(c: Context<AppEnv>): View {
  if (c.get('t')) return viewOf(c);
  // The failure came before the locale middleware (e.g. unknown host): work it out here.
  const fromQuery = c.req.query('lang');
  const locale = isLocale(fromQuery) ? fromQuery : (localeFromAcceptLanguage(c.req.header('accept-language')) ?? 'en');
  c.set('locale', locale);
  c.set('t', translator(locale));
  return viewOf(c);
}

export function renderError(c: Context<AppEnv>, err: AppError) {
  const requestId = c.get('requestId') ?? '';
  const status = err.status as ContentfulStatusCode;
  if (wantsJson(c)) {
    // Field messages are catalogue keys where the service knows one: send the words, in the caller's language.
    const { t } = safeView(c);
    const fields = err.fields.map((f) => ({ field: f.field, message: messageText(t, f.message) }));
    return c.json({ error: { code: err.code, message: err.message, fields, requestId } }, status);
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
  const text = PAGE_TEXT[status];
  const title = text ? t(text.title) : t('error.500.title');
  return c.html(
    <Layout view={view} title={title}>
      <h1>{title}</h1>
      {text?.body ? (
        <p>{t(text.body)}</p>
      ) : status >= 500 ? (
        <p>{t('error.500.body', { ref: requestId })}</p>
      ) : err.fields.length === 0 ? (
        <p>{err.message}</p>
      ) : null}
      {/* People see what to fix in their language; field names and catalogue keys are for the API. */}
      {err.fields.length > 0 ? (
        <ul>
          {[...new Set(err.fields.map((f) => messageText(t, f.message)))].map((m) => (
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
  return renderError(c, new AppError('not_found', 'There is nothing at this address.'));
}
