import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDeps } from '../../test/app.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { emailCount, lastEmail } from '../../test/mail.ts';
import { buildMember } from '../../test/members.ts';
import { translator } from '../../ui/i18n/index.ts';
import { collectMemberData, eraseIn } from '../membership/data-rights.ts';
import { openBadgeCredential } from './badge.ts';
import { certificateFonts, certificatePdf } from './certificate.ts';
import { sendExpiryNotices } from './notices.ts';
import { kindsOf } from './queries.ts';
import { qualifications } from './schema.ts';
import { awardForCourse } from './service.ts';
import { awardByCode, expiringQualifications } from './views.ts';

async function setup() {
  const deps = await testDeps();
  const db = deps.database.db;
  const { tenant } = await buildTenant(db);
  const complete = (memberId: string, courseKey: string, completedOn: string) =>
    db.transaction((tx) => awardForCourse(tx, { tenantId: tenant.id, memberId, courseKey, sessionId: `s-${courseKey}-${completedOn}`, completedOn, actor: 'system:test' }));
  const award = async (id: string) => (await db.select().from(qualifications).where(and(eq(qualifications.tenantId, tenant.id), eq(qualifications.id, id))))[0]!;
  return { deps, db, tenant, complete, award };
}

const latin1 = (b: Buffer) => b.toString('latin1');

describe('certificate PDF', () => {
  it('is a PDF with the check URL (QR code link) and code; Polish letters come from an embedded font', async () => {
    const code = '7KQ2M9XD4P';
    const url = `https://corby.example/certificates/${code}`;
    const pdf = await certificatePdf(
      { t: translator('pl'), locale: 'pl', tenantName: 'Koalicja Rodziców', holderName: 'Łucja Świętochowska-Źrebięć', qualification: 'Ochrona dzieci – podstawy', issuedOn: '2026-02-01', expiresOn: '2029-01-31', code, checkUrl: url, isDemo: false },
      { compress: false },
    );
    const text = latin1(pdf);
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text).toContain(`/URI (${url})`);
    expect(text).toContain('7KQ2M-9XD4P');
    // pdfkit's standard fonts cannot draw ąęłńśźż: the certificate embeds DejaVu Sans, whose
    // ToUnicode map then names the Polish letters used (Ł U+0141, Ś U+015A, Ź U+0179, ę U+0119).
    expect(certificateFonts.regular).toBeTruthy();
    expect(text).toContain('/FontFile2');
    for (const cp of ['0141', '015a', '0179', '0119']) expect(text.toLowerCase()).toContain(`<${cp}>`);
  });
});

describe(`accreditation documents, notices and personal data (${storeName()})`, () => {
  it('the Open Badge is an unsigned OpenBadgeCredential with the achievement and the tenant as issuer', async () => {
    const { db, tenant, complete, award } = await setup();
    const { member } = await buildMember(db, tenant.id, { name: 'Ann Holder' });
    const id = (await complete(member.id, 'safeguarding-awareness', '2026-01-01')).awarded[0]!.qualificationId;
    const a = await award(id);
    const kind = (await kindsOf(db, tenant.id)).find((k) => k.id === a.kindId)!;
    const badge = openBadgeCredential({ award: a, kind, baseUrl: 'https://x.example', tenantName: tenant.name, holderName: 'Ann Holder', locale: 'en' });
    expect(badge.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(badge.issuer.name).toBe(tenant.name);
    expect(badge.credentialSubject.achievement.name).toBe('Safeguarding awareness');
    expect(badge.validUntil).toBe('2028-12-31T23:59:59Z');
    expect('proof' in badge).toBe(false);
  });

  it('one expiry notice per award, 30 days ahead, by email else text; reminded shows it; a second run sends nothing', async () => {
    const { deps, db, tenant, complete } = await setup();
    const byEmail = (await buildMember(db, tenant.id, { email: `exp-${tenant.id.slice(0, 8)}@example.org` })).member;
    const byText = (await buildMember(db, tenant.id, { phone: '+447700900321' })).member;
    await deps.database.query('UPDATE members SET email = NULL WHERE tenant_id = $1 AND id = $2', [tenant.id, byText.id]);
    const later = (await buildMember(db, tenant.id)).member;
    await complete(byEmail.id, 'safeguarding-awareness', '2023-06-20'); // last day 2026-06-19
    await complete(byText.id, 'safeguarding-awareness', '2023-06-25'); // last day 2026-06-24
    await complete(later.id, 'safeguarding-awareness', '2023-08-01'); // last day 2026-07-31: not yet
    const now = new Date('2026-06-01T09:00:00Z');
    expect(await sendExpiryNotices(deps, now, { tenantId: tenant.id })).toBe(2);
    expect(await sendExpiryNotices(deps, now, { tenantId: tenant.id })).toBe(0);
    expect(await emailCount(deps.database, tenant.id, byEmail.email!)).toBe(1);
    expect((await lastEmail(deps.database, tenant.id, byEmail.email!))?.subject).toBe('Your Safeguarding awareness qualification expires on 19 June 2026');
    const texts = await deps.database.query<{ template: string }>('SELECT template FROM sms_outbox WHERE tenant_id = $1 AND to_number = $2', [tenant.id, '+447700900321']);
    expect(texts.map((x) => x.template)).toEqual(['accreditation.expiry']);
    const list = await expiringQualifications(db, tenant.id, '2026-06-01', '2026-08-31');
    expect(list.map((x) => [x.memberId, x.reminded])).toEqual([
      [byEmail.id, true],
      [byText.id, true],
      [later.id, false],
    ]);
    expect(await sendExpiryNotices(deps, new Date('2026-07-05T09:00:00Z'), { tenantId: tenant.id })).toBe(1);
  });

  it('download-my-data lists the qualifications; erasure deletes them, so the code is no longer known', async () => {
    const { db, tenant, complete, award } = await setup();
    const { member } = await buildMember(db, tenant.id);
    const id = (await complete(member.id, 'induction', '2026-01-01')).awarded[0]!.qualificationId;
    const code = (await award(id)).code;
    const data = (await collectMemberData(db, tenant.id, member.id)) as unknown as Record<string, unknown>;
    expect(data.qualifications).toEqual([expect.objectContaining({ qualification: 'Volunteer induction', issuedOn: '2026-01-01', expiresOn: null, status: 'valid', source: 'course', course: 'induction', verificationCode: `${code.slice(0, 5)}-${code.slice(5)}` })]);
    expect(await awardByCode(db, tenant.id, code)).toBeDefined();
    await db.transaction((tx) => eraseIn(tx, tenant.id, member.id, 'system:test'));
    expect(await awardByCode(db, tenant.id, code)).toBeUndefined();
  });
});
