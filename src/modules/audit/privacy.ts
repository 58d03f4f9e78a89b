import type { Catalogue } from '../../db/privacy.ts';

/** Privacy tags of the audit module's tables (SECURITY.md 13). The audit log names actors by pseudonymous id only; data never holds names or contact details. */
export const auditData = {
  audit_heads: { personal: {}, other: ['tenant_id', 'seq', 'hash'] },
  // Audit rows name actors by pseudonymous id only; data never holds names or contact details.
  audit_log: { personal: {}, other: ['tenant_id', 'seq', 'at', 'actor', 'action', 'entity', 'entity_id', 'data', 'prev_hash', 'hash'] },
} satisfies Catalogue;
