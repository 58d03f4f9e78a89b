import type { Catalogue } from '../../db/privacy.ts';

/**
 * Privacy tags of commissions to the mutual. The commissioner is an organisation (public once
 * agreed); its contact person's name and email are personal data, shown only to coordinators,
 * never on public pages, in audit data or in URLs. They are blanked one year after the commission
 * ends (closed, declined or cancelled) by the retention run, and at once when a member whose
 * email is the contact's is erased (personal-data.ts).
 */
const CONTACT = {
  purpose: 'to reach the person who commissioned the mutual about the work, the price and the deliverables',
  lawfulBasis: 'legitimate interests',
  retention: 'blanked one year after the commission is closed, declined or cancelled; at once if the contact is a member who is erased',
} as const;

export const commissionsData = {
  comm_commissions: {
    personal: { contact_name: CONTACT, contact_email: CONTACT },
    other: ['tenant_id', 'id', 'title', 'brief', 'commissioner_kind', 'commissioner_name', 'provider_id', 'price_pence', 'starts_on', 'ends_on', 'pot_id', 'status', 'status_note', 'agreed_at', 'ended_at', 'is_demo', 'created_at'],
  },
  comm_deliverables: { personal: {}, other: ['tenant_id', 'id', 'commission_id', 'title', 'due_on', 'status', 'note', 'link', 'delivered_on', 'position', 'is_demo', 'created_at'] },
} satisfies Catalogue;
