import type { Catalogue } from '../../db/privacy.ts';

/**
 * Privacy tags of contracts, milestones and payments. Contracts name organisations, not people.
 * A payment keeps who requested and who approved it (member ids as text): the two-person rule must
 * stay provable for a financial record, so these are kept, not erased, and shown publicly only as
 * roles ("a coordinator", "a second approver"), never as names.
 */
const PAYMENT_PEOPLE = { purpose: 'two-person approval of payments: who requested and who approved (accountability)', lawfulBasis: 'legal obligation', retention: 'as the financial record (six years after the financial year); not erased' } as const;

export const contractsData = {
  comm_contracts: {
    personal: {},
    other: ['tenant_id', 'id', 'round_id', 'proposal_id', 'pot_id', 'provider_id', 'provider_name', 'value_pence', 'starts_on', 'ends_on', 'indicators', 'status', 'create_key', 'signed_at', 'closed_at', 'close_reason', 'is_demo', 'created_at'],
  },
  comm_milestones: { personal: {}, other: ['tenant_id', 'id', 'contract_id', 'position', 'title', 'due_on', 'amount_pence', 'evidence', 'is_demo'] },
  comm_payments: {
    personal: { requested_by: PAYMENT_PEOPLE, decided_by: PAYMENT_PEOPLE },
    other: ['tenant_id', 'id', 'contract_id', 'milestone_id', 'amount_pence', 'note', 'status', 'requested_role', 'decided_role', 'requested_at', 'request_key', 'decide_key', 'decided_at', 'ledger_entry_id', 'is_demo'],
  },
} satisfies Catalogue;
