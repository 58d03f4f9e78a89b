import { describe, expect, it } from 'vitest';
import { storeName, testDatabase } from '../test/db.ts';
import { buildTenant } from '../test/factories.ts';
import { buildMember } from '../test/members.ts';
import { runRetention } from './retention.ts';

describe(`retention job (${storeName()})`, () => {
  it('deletes what the data catalogue says we no longer keep, and nothing else', async () => {
    const database = await testDatabase();
    const { tenant } = await buildTenant(database.db);
    const { member } = await buildMember(database.db, tenant.id);
    await database.query(
      `INSERT INTO email_outbox (tenant_id, id, to_address, subject, text_body, template, locale, status, sent_at)
       VALUES ($1, gen_random_uuid(), 'old@example.org', 's', 'b', 't', 'en', 'sent', now() - interval '31 days'),
              ($1, gen_random_uuid(), 'new@example.org', 's', 'b', 't', 'en', 'sent', now() - interval '1 day')`,
      [tenant.id],
    );
    await database.query(
      `INSERT INTO member_tokens (token_hash, tenant_id, member_id, purpose, expires_at) VALUES
       ('old-${member.id}', $1, $2, 'sign_in', now() - interval '2 days'), ('new-${member.id}', $1, $2, 'sign_in', now() + interval '5 minutes')`,
      [tenant.id, member.id],
    );
    await runRetention(database.db);
    const mail = await database.query<{ to_address: string }>('SELECT to_address FROM email_outbox WHERE tenant_id = $1 ORDER BY to_address', [tenant.id]);
    expect(mail.map((m) => m.to_address)).toEqual(['new@example.org']);
    const tokens = await database.query<{ token_hash: string }>('SELECT token_hash FROM member_tokens WHERE member_id = $1', [member.id]);
    expect(tokens.map((t) => t.token_hash)).toEqual([`new-${member.id}`]);
  });
});
