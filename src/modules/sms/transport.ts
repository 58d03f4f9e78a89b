import type { Logger } from '../../server/logger.ts';

/** One outbox row, as the worker hands it to a transport. */
export interface OutgoingSms {
  id: string;
  tenantId: string;
  to: string;
  body: string;
  template: string;
}

/**
 * How texts leave the server. A real provider (an HTTP API such as GOV.UK Notify or Twilio) is a
 * later plug-in implementing this interface; none is built in yet. 'dev' only logs the id (the
 * outbox rows, shown at /dev/sms, are the inbox); 'unconfigured' refuses every send, so texts stay
 * in the outbox instead of being marked sent when nothing left the server.
 */
export interface SmsTransport {
  readonly kind: 'dev' | 'unconfigured';
  /** Resolves once the provider accepted the message; rejects with an error carrying a code. */
  send(msg: OutgoingSms): Promise<void>;
}

export class SmsSendError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'SmsSendError';
  }
}

/** Whether texts can reach anyone: false in production until a provider exists (SMS sign-in is then hidden). */
export function smsDeliverable(config: { env: string }): boolean {
  return config.env !== 'production';
}

export function createSmsTransport(config: { env: string }, logger: Logger): SmsTransport {
  if (!smsDeliverable(config)) {
    logger.warn({ code: 'sms_unconfigured' }, 'no SMS provider is configured: texts stay in the outbox and SMS sign-in is off');
    return { kind: 'unconfigured', send: () => Promise.reject(new SmsSendError('ENOSMS')) };
  }
  return {
    kind: 'dev',
    send(msg) {
      logger.info({ smsId: msg.id }, 'text queued for delivery (dev)');
      return Promise.resolve();
    },
  };
}
