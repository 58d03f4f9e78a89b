import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { issueToken } from '../modules/membership/tokens.ts';
import { testApp } from '../test/app.ts';
import { TestClient } from '../test/client.ts';
import { storeName } from '../test/db.ts';
import { buildTenant } from '../test/factories.ts';
import { buildMember } from '../test/members.ts';
import { chooseEncoding, COMPRESS_THRESHOLD } from './middleware/compression.ts';

type ApiError = { error: { code: string; message: string } };

describe('choosing a content encoding', () => {
  it('prefers brotli, honours weights and refusals', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
  });
});

describe(`the request edge (${storeName()})`, () => {
  it('serves brotli or gzip as accepted, with Vary, and leaves small or compressed bodies alone', async () => {
    const { app, deps } = await testApp({}, (a) => {
      a.get('/test/small', (c) => c.text('tiny'));
      a.get('/test/zip', (c) => c.body(new Uint8Array(5000).fill(65), 200, { 'Content-Type': 'application/zip' }));
      a.get('/test/png', (c) => c.body(new Uint8Array(5000).fill(65), 200, { 'Content-Type': 'image/png' }));
    });
    const { host } = await buildTenant(deps.database.db);
    const plain = await (await app.request('/wards', { headers: { host } })).text();
    expect(plain.length).toBeGreaterThan(COMPRESS_THRESHOLD);

    const br = await app.request('/wards', { headers: { host, 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/Accept-Encoding/);
    const brBytes = new Uint8Array(await br.arrayBuffer());
    expect(brotliDecompressSync(brBytes).toString('utf8')).toBe(plain);
    expect(Number(br.headers.get('content-length'))).toBe(brBytes.byteLength);

    const gz = await app.request('/wards', { headers: { host, 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const gzBytes = new Uint8Array(await gz.arrayBuffer());
    expect(gunzipSync(gzBytes).toString('utf8')).toBe(plain);
    expect(brBytes.byteLength).toBeLessThan(gzBytes.byteLength);

    const none = await app.request('/wards', { headers: { host } });
    expect(none.headers.get('content-encoding')).toBeNull();
    expect(none.headers.get('vary')).toMatch(/Accept-Encoding/);

    const small = await app.request('/test/small', { headers: { host, 'accept-encoding': 'br' } });
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(await small.text()).toBe('tiny');
    for (const path of ['/test/zip', '/test/png']) {
      const res = await app.request(path, { headers: { host, 'accept-encoding': 'br, gzip' } });
      expect(res.headers.get('content-encoding'), path).toBeNull();
      expect((await res.arrayBuffer()).byteLength, path).toBe(5000);
    }
  });

  it('resolves a Host with a trailing dot, capitals and a port to the same tenant', async () => {
    const { app, deps } = await testApp({ defaultTenantEnabled: false });
    const { host } = await buildTenant(deps.database.db, { name: 'Trailing Dot Parents' });
    for (const variant of [`${host}.`, `${host.toUpperCase()}.`, `${host}.:8080`, `${host.toUpperCase()}:443`]) {
      const res = await app.request('/', { headers: { host: variant } });
      expect(res.status, variant).toBe(200);
      expect(await res.text(), variant).toContain('Trailing Dot Parents');
    }
  });

  it('keeps no-referrer on token pages, including their error pages', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const member = await buildMember(db, tenant.id);
    const signIn = await issueToken(db, { tenantId: tenant.id, memberId: member.member.id, purpose: 'sign_in' });
    const confirm = await issueToken(db, { tenantId: tenant.id, memberId: member.member.id, purpose: 'confirm_email' });
    const client = new TestClient(app, host);
    client.cookies.set('pm_session', member.cookie);
    const pages = [`/sign-in/link?token=${signIn}`, '/sign-in/link?token=wrong', `/join/confirm?token=${confirm}`, '/join/confirm?token=wrong', '/me/data/download?token=wrong'];
    for (const path of pages) {
      const res = await client.get(path);
      expect(res.status, path).toBeLessThan(500);
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
    const ordinary = await client.get('/about');
    expect(ordinary.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it('answers multipart without a boundary, or cut off, with 400 and a message', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db);
    const client = new TestClient(app, host);
    await client.get('/about');
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const boundary = '----pmtest';
    const truncated = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${client.csrf()}\r\n--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nhal`;
    const cases = [
      { path: '/join', type: 'multipart/form-data', body: 'name=x' },
      { path: '/join', type: `multipart/form-data; boundary=${boundary}`, body: truncated },
      { path: '/api/v1/join', type: 'multipart/form-data', body: 'name=x' },
    ];
    for (const k of cases) {
      for (const withHeaderToken of [false, true]) {
        const headers: Record<string, string> = { host, cookie, 'content-type': k.type };
        if (withHeaderToken) headers['x-csrf-token'] = client.csrf();
        const res = await app.request(k.path, { method: 'POST', headers, body: k.body });
        expect(res.status, `${k.path} ${k.type}`).toBe(400);
        const text = await res.text();
        expect(text, k.path).toContain('The form could not be read');
        if (k.path.startsWith('/api/')) expect((JSON.parse(text) as ApiError).error.code).toBe('bad_request');
        else expect(res.headers.get('content-type')).toContain('text/html');
      }
    }
  });

  it('answers a NUL byte anywhere with 400 and a message, before it reaches the database', async () => {
    const { app, deps } = await testApp();
    const { tenant, host } = await buildTenant(deps.database.db);
    const coordinator = await buildMember(deps.database.db, tenant.id, { roles: ['coordinator'] });
    const client = new TestClient(app, host);
    await client.get('/about');
    client.cookies.set('pm_session', coordinator.cookie);
    const cookie = () => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const check = async (label: string, res: Response, json: boolean) => {
      expect(res.status, label).toBe(400);
      const text = await res.text();
      if (json) expect((JSON.parse(text) as ApiError).error.message, label).toMatch(/NUL character/);
      else expect(text, label).toContain('NUL character');
    };
    await check('path', await client.get('/wards/E050%0010264'), false);
    await check('member path', await client.get(`/coordinator/members/${coordinator.member.id}%00`), false);
    await check('query', await client.get('/coordinator/members?q=a%00b'), false);
    await check('api query', await client.get('/api/v1/wards?set=corby%002015'), true);
    await check('form', await client.post('/join', { step: '1', name: 'A\u0000B' }), false);
    await check('form key', await client.post('/sign-in', { 'em\u0000ail': 'a@example.org' }), false);
    await check('cookie', await app.request('/me', { headers: { host, cookie: `pm_session=abc%00def; ${cookie()}` } }), false);
    await check(
      'json',
      await app.request('/api/v1/join', { method: 'POST', headers: { host, cookie: cookie(), 'content-type': 'application/json' }, body: JSON.stringify({ name: 'A\u0000B', email: 'x@example.org' }) }),
      true,
    );
    await check(
      'json key',
      await app.request('/api/v1/join', { method: 'POST', headers: { host, cookie: cookie(), 'content-type': 'application/json' }, body: '{"na\\u0000me": "x"}' }),
      true,
    );
    const polish = await app.request('/wards/%00?lang=pl', { headers: { host } });
    expect(polish.status).toBe(400);
    expect(await polish.text()).toContain('znak NUL');
  });

  it('refuses JSON nested too deeply with 400', async () => {
    const { app, deps } = await testApp();
    const { host } = await buildTenant(deps.database.db);
    const deep = `{"name":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const res = await app.request('/api/v1/join', { method: 'POST', headers: { host, 'content-type': 'application/json' }, body: deep });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiError).error.message).toMatch(/nested too deeply/);
  });
});
