import nodemailer from 'nodemailer';
import { redactUrl } from '../../db/connection.ts';
import type { Logger } from '../../server/logger.ts';

/** One outbox row, as the worker hands it to a transport. */
export interface OutgoingEmail {
  /** The outbox id: also the Message-ID, so a resend after a crash is recognisable downstream. */
  id: string;
  tenantId: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  template: string;
}

export interface EmailTransport {
  /** 'smtp' sends; 'dev' only logs (the outbox rows are the mailbox); 'unconfigured' refuses. */
  readonly kind: 'smtp' | 'dev' | 'unconfigured';
  /** Resolves once the message is accepted for delivery; rejects with an error carrying a code. */
  send(msg: OutgoingEmail): Promise<void>;
  close?(): void;
}

export interface TransportConfig {
  /** smtp://user:pass@host:587 or smtps://…:465; nodemailer URL options may follow as a query. */
  smtpUrl?: string | undefined;
  /** The From header, e.g. "One Corby Parent Coalition <hello@example.org>". */
  from: string;
  production: boolean;
}

/** A send failure with a code we can store (never the server's text, which can quote the address). */
export class EmailSendError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'EmailSendError';
  }
}

export class EmailConfigError extends Error {}

// Defaults that keep one stuck SMTP server from holding a worker near its 10-minute lease; the
// SMTP_URL query wins when it sets them.
const SMTP_TIMEOUTS = { connectionTimeout: '30000', greetingTimeout: '30000', socketTimeout: '60000' } as const;

function domainOf(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'parent-mutual.invalid';
}

function smtpTransport(smtpUrl: string, from: string): EmailTransport {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new EmailConfigError('SMTP_URL is not a URL: expected smtp://user:password@host:587 or smtps://…:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new EmailConfigError(`SMTP_URL must start with smtp:// or smtps:// (got ${redactUrl(smtpUrl)})`);
  }
  for (const [key, value] of Object.entries(SMTP_TIMEOUTS)) {
    if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  }
  const transporter = nodemailer.createTransport(url.toString());
  const domain = domainOf(from);
  return {
    kind: 'smtp',
    async send(msg) {
      await transporter.sendMail({
        from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        ...(msg.html === null ? {} : { html: msg.html }),
        messageId: `<${msg.id}@${domain}>`,
        // RFC 3834: tells auto-responders (out of office) not to answer a machine.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close: () => transporter.close(),
  };
}

/**
 * The transport the worker uses. With an SMTP URL: nodemailer over SMTP. Without one outside
 * production: a development transport that only logs the id (the outbox rows, shown at
 * /dev/mailbox, are the mailbox). Without one in production: every send fails with ENOSMTP, so
 * messages stay in the outbox (retried with backoff) instead of being marked sent when nothing
 * left the server.
 */
export function createTransport(config: TransportConfig, logger: Logger): EmailTransport {
  if (config.smtpUrl) return smtpTransport(config.smtpUrl, config.from);
  if (config.production) {
    logger.warn({ code: 'email_unconfigured' }, 'SMTP_URL is not set: email stays in the outbox and is not delivered');
    return {
      kind: 'unconfigured',
      send: () => Promise.reject(new EmailSendError('ENOSMTP')),
    };
  }
  return {
    kind: 'dev',
    send(msg) {
      logger.info({ emailId: msg.id }, 'email queued for delivery (dev)');
      return Promise.resolve();
    },
  };
}
