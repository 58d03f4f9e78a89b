import pino from 'pino';

export type Logger = pino.Logger;

/**
 * JSON-lines logs with no personal data: we log ids, routes and codes, never bodies, emails,
 * names, query strings or cookies. The redact list is a second line of defence.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.email', '*.phone', '*.name', '*.password', '*.token'],
      censor: '[redacted]',
    },
  });
}
