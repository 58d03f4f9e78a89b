import type { MessageKey } from '../ui/i18n/index.ts';

/**
 * Typed error codes, mapped to HTTP in one place (STYLE.md 7). Services throw AppError; the
 * error handler turns it into JSON for the API or a page for people. Never classify by message.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthenticated: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  unknown_host: 404,
  conflict: 409,
  idempotency_conflict: 409,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  database_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  /** Dotted path of the field, e.g. "email" or "rows.3.ward". */
  field: string;
  message: string;
}

/**
 * `message` is the English sentence for logs and the JSON API; `key` (with `params`) is the same
 * text in the message catalogues, which is all that pages show. Without a key a page shows the
 * translated text of the error code (error-pages.tsx), never the English sentence.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldIssue[] = [],
    readonly key?: MessageKey,
    readonly params?: Record<string, string | number>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): (typeof ERROR_STATUS)[ErrorCode] {
    return ERROR_STATUS[this.code];
  }
}

export function notFound(what = 'That page or record'): AppError {
  return new AppError('not_found', `${what} was not found.`);
}
