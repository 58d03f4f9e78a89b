import { normaliseEmail, normalisePhone, PHONE_MESSAGES } from '../../lib/contact.ts';
import type { FieldIssue } from '../../server/errors.ts';
import { fieldIssues } from '../../server/validation.ts';
import { JoinRequest } from './service.ts';

/** The join form's fields, as posted (every step carries the earlier steps' answers). */
export const JOIN_FIELDS = ['name', 'relationship', 'childrenUnder5', 'preferredLocale', 'email', 'phone', 'ward', 'consent', 'joinKey'] as const;
export type JoinForm = Partial<Record<(typeof JOIN_FIELDS)[number], string>>;

const STEP_FIELDS: Record<1 | 2 | 3, ReadonlyArray<(typeof JOIN_FIELDS)[number]>> = {
  1: ['name', 'relationship', 'childrenUnder5', 'preferredLocale'],
  2: ['email', 'phone', 'ward'],
  3: ['consent'],
};

/** The step of the form that asks for a field (contact problems belong to step 2). */
export function stepOf(field: string): 1 | 2 | 3 {
  return (([1, 2, 3] as const).find((step) => (STEP_FIELDS[step] as readonly string[]).includes(field)) ?? 3);
}

export function formFrom(body: Record<string, unknown>): JoinForm {
  const form: JoinForm = {};
  for (const f of JOIN_FIELDS) {
    const v = body[f];
    if (typeof v === 'string' && v.trim() !== '') form[f] = v.slice(0, 300);
  }
  return form;
}

/** Normalise the contact details of a join request; issues carry catalogue keys as messages. */
export function checkContact(input: { email?: string; phone?: string }): { issues: FieldIssue[]; email?: string; phone?: string } {
  const issues: FieldIssue[] = [];
  let email: string | undefined;
  let phone: string | undefined;
  if (input.email) {
    const r = normaliseEmail(input.email);
    if (r.ok) email = r.value;
    else issues.push({ field: 'email', message: 'join.error.email' });
  }
  if (input.phone) {
    const r = normalisePhone(input.phone);
    if (r.ok) phone = r.value;
    else issues.push({ field: 'phone', message: r.message === PHONE_MESSAGES.notPersonal ? 'join.error.phoneKind' : 'join.error.phone' });
  }
  if (!input.email && !input.phone) issues.push({ field: 'email', message: 'join.error.contact' });
  return { issues, ...(email ? { email } : {}), ...(phone ? { phone } : {}) };
}

/** Check the fields of steps 1..upTo against the join contract (JoinRequest), then the contact details. */
export function checkJoin(form: JoinForm, upTo: 1 | 2 | 3): { issues: FieldIssue[]; email?: string; phone?: string } {
  const fields = new Set<string>([...STEP_FIELDS[1], ...(upTo >= 2 ? STEP_FIELDS[2] : []), ...(upTo >= 3 ? STEP_FIELDS[3] : [])]);
  const parsed = JoinRequest.safeParse({ ...form, ward: form.ward ?? '', consent: form.consent ?? '' });
  const issues = parsed.success ? [] : fieldIssues(parsed.error).filter((i) => fields.has(i.field));
  const contact = upTo >= 2 ? checkContact(form) : { issues: [] };
  issues.push(...contact.issues);
  const order = JOIN_FIELDS as readonly string[];
  issues.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
  return { ...contact, issues };
}
