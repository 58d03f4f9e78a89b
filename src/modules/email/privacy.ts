import type { Catalogue } from '../../db/privacy.ts';

const deliver = 'deliver transactional email';
const sealed = 'sealed until sent, blanked when sent (row purged 30 days after sending)';

/** Privacy tags of the email module's tables (SECURITY.md 13). The email outbox. Retention is enforced by purgeSentEmail (service.ts). */
export const emailData = {
  email_outbox: {
    personal: {
      to_address: { purpose: deliver, lawfulBasis: 'contract', retention: '30 days after sending' },
      subject: { purpose: deliver, lawfulBasis: 'contract', retention: '30 days after sending' },
      text_body: { purpose: deliver, lawfulBasis: 'contract', retention: sealed },
      html_body: { purpose: deliver, lawfulBasis: 'contract', retention: sealed },
    },
    other: ['tenant_id', 'id', 'template', 'locale', 'status', 'attempts', 'next_attempt_at', 'last_error', 'created_at', 'sent_at', 'dedupe_key'],
  },
} satisfies Catalogue;
