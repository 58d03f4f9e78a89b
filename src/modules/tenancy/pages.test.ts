import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { testDatabase, storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { auditLog } from '../audit/schema.ts';
import { NN_2025 } from './seed.ts';
import { loadWardSet, setTenantContact } from './service.ts';

describe(`area pages (${storeName()})`, () => {
  it('links the privacy notice from every page footer; the notice names the mutual, its contact and the ICO', async () => {
    const { app, deps } = await testApp();
    const { host, tenant } = await buildTenant(deps.database.db, { name: 'Kettering Parents' });
    for (const path of ['/', '/about', '/wards', '/wards/E05010264', '/join', '/sign-in', '/api/docs', '/no-such-page']) {
      const html = await (await app.request(path, { headers: { host } })).text();
      expect(html, path).toMatch(/<footer[\s\S]*<a href="\/privacy">Privacy notice<\/a>[\s\S]*<\/footer>/);
    }
    const before = await (await app.request('/privacy', { headers: { host } })).text();
    expect(before).toContain('Kettering Parents is the data controller');
    expect(before).toContain('To be filled in by the mutual');
    expect(before).toContain('href="https://ico.org.uk/make-a-complaint/"');
    expect(before).toContain('0303 123 1113');

    await setTenantContact(deps.database.db, tenant.id, { contactEmail: 'privacy@kettering.example', contactAddress: '1 High St,\nKettering <svg onload=alert(1)>' }, 'system:test');
    const after = await (await app.request('/privacy?lang=pl', { headers: { host } })).text();
    expect(after).toContain('<a href="mailto:privacy@kettering.example">privacy@kettering.example</a>');
    expect(after).toContain('Kettering &lt;svg onload=alert(1)&gt;');
    expect(after).not.toContain('Do uzupełnienia przez organizację');
    expect(after).toContain('Infolinia ICO: 0303 123 1113');
    const [row] = await deps.database.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, 'tenant.contact')));
    expect(row?.data).toEqual({ email: true, address: true });
    await expect(setTenantContact(deps.database.db, tenant.id, { contactEmail: 'not an email', contactAddress: null }, 'system:test')).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('shows the 2025 wards with their derived facts, says how they were derived, and flags wards reaching outside', async () => {
    const { app } = await testApp();
    const { db } = await testDatabase();
    const { host, tenant } = await buildTenant(db);
    await loadWardSet(db, { tenantId: tenant.id, ...NN_2025, makeCurrent: true }, 'system:test');
    const wards = await (await app.request('/wards', { headers: { host } })).text();
    expect(wards).toContain('North Northamptonshire wards 2025 covering Corby');
    expect(wards).toContain('<table class="stack">');
    expect(wards).toContain('data-label="Population">16,029</td>'); // Kingswood
    expect(wards).toContain('Some wards reach beyond Test area');
    const ward = await (await app.request('/wards/E05016208', { headers: { host } })).text(); // Desborough
    expect(ward).toContain('Share of the ward’s area inside the former Corby borough');
    expect(ward).toContain('22.3%');
    const about = await (await app.request('/about', { headers: { host } })).text();
    expect(about).toContain('How the ward figures were worked out');
    expect(about).toContain('best fit by largest overlap');
    expect(about).toContain('scripts/corby-ward-fit.ts');
    // The older set is kept and still shown, as history.
    const old = await (await app.request('/wards/E05010267?set=corby-2015', { headers: { host } })).text();
    expect(old).toContain('7,991');
  });
});
