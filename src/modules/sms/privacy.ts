import type { Catalogue } from '../../db/privacy.ts';

/** Privacy tags of the sms module's tables (SECURITY.md 13). Sign-in by text message: the text outbox. Retention is enforced by purgeSms (service.ts). */
export const smsData = {
  sms_outbox: {
    personal: {
      to_number: { purpose: 'send the sign-in code the person asked for', lawfulBasis: 'contract', retention: '30 days after sending; deleted on erasure' },
      body: { purpose: 'send the sign-in code the person asked for', lawfulBasis: 'contract', retention: '30 days after sending; deleted on erasure' },
    },
    other: ['tenant_id', 'id', 'template', 'locale', 'status', 'attempts', 'next_attempt_at', 'last_error', 'created_at', 'sent_at', 'dedupe_key'],
  },
} satisfies Catalogue;
