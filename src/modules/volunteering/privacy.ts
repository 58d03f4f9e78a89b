import type { Catalogue } from '../../db/privacy.ts';

/**
 * Privacy tags of the volunteering module's tables (SECURITY.md 13, 14).
 *
 * DBS checks (SECURITY.md 14, issue 9 item 4). We store only the check date, certificate number,
 * level, outcome ("clear" or "information disclosed; decision recorded", never what was disclosed),
 * Update Service, renewal date and the recruitment decision, plus a short reference (≤ 40
 * characters). Never the certificate's contents or a copy.
 *
 * Retention (`retainDbsChecks`, service.ts): once the recruitment decision is six months old the
 * record keeps only "name, reference, number and status" (the words), read as:
 *   - name → the member link (`member_id`; the name itself stays in membership),
 *   - reference → `reference`, number → `certificate_number`,
 *   - status → the recruitment decision (`decision`: appointed / not appointed) and the renewal date
 *     (`renewal_on`), because "is this volunteer's check still in date" is the status the ladder and
 *     the renewal reminders need, and a date of renewal discloses nothing about the certificate.
 * Blanked: check date, level, outcome, Update Service and decision date. An appointed volunteer's
 * reduced record still counts as "in date" until the renewal date (the decision to appoint is what
 * the outcome was for); a reduced "not appointed" record never does.
 *
 * Erasure deletes the member's DBS records (and hours). We considered keeping a minimal
 * safeguarding record, but after erasure the member row has no name or contact details, so a DBS
 * row linked to it could no longer tell anyone who was checked: keeping it would serve no
 * safeguarding purpose and would still be criminal-record data. Concerns about a person are held by
 * the safeguarding process (SECURITY.md, safeguarding items), not here.
 *
 * Download my data includes the member's own DBS records (they may see what we hold about them).
 */
const HOURS = { purpose: 'record and approve volunteering hours the volunteer logged', lawfulBasis: 'legitimate interests', retention: 'while a member; deleted on erasure' } as const;
const DBS = { purpose: 'safer recruitment of volunteers working with families (DBS check record)', lawfulBasis: 'legal obligation', retention: 'full until six months after the recruitment decision, then reduced to number, reference, decision and renewal date; deleted on erasure', special: true } as const;

export const volunteeringData = {
  volunteering_activities: { personal: {}, other: ['tenant_id', 'id', 'key', 'title_en', 'title_pl', 'active', 'sort', 'created_at'] },
  volunteer_hours: {
    personal: {
      member_id: HOURS,
      worked_on: HOURS,
      minutes: HOURS,
      note: { ...HOURS, purpose: "the volunteer's own note on the hours (they are told not to name families)" },
      question: { ...HOURS, purpose: "a coordinator's question about the entry" },
      decided_by: { ...HOURS, purpose: 'who approved or queried the hours' },
    },
    other: ['tenant_id', 'id', 'activity_id', 'status', 'client_key', 'decided_at', 'is_demo', 'created_at', 'updated_at'],
  },
  dbs_checks: {
    personal: {
      member_id: DBS,
      checked_on: DBS,
      certificate_number: DBS,
      level: DBS,
      outcome: DBS,
      update_service: DBS,
      renewal_on: DBS,
      decision_on: DBS,
      decision: DBS,
      reference: DBS,
    },
    other: ['tenant_id', 'id', 'reduced_at', 'is_demo', 'created_at', 'updated_at'],
  },
} satisfies Catalogue;
