import { describe, expect, it } from 'vitest';
import { testApp } from '../test/app.ts';
import { storeName } from '../test/db.ts';
import { buildTenant } from '../test/factories.ts';
import { clientKey, resolveClientAddress } from './client-address.ts';
import { ConfigError, loadConfig, type TrustProxy } from './config.ts';

const none: TrustProxy = { kind: 'none' };
const oneHop: TrustProxy = { kind: 'hops', hops: 1 };
const twoHops: TrustProxy = { kind: 'hops', hops: 2 };
const list: TrustProxy = { kind: 'list', ranges: ['10.0.0.1', '10.1.0.0/16', 'fd00::/8'] };

/** What @hono/node-server passes as the env of a request: the socket the request came on. */
const socket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress, remotePort: 40000, remoteFamily: remoteAddress.includes(':') ? 'IPv6' : 'IPv4' } } });

describe('TRUST_PROXY setting', () => {
  it('reads a hop count or a list of addresses and CIDR ranges, and refuses anything else', () => {
    expect(loadConfig({}).trustProxy).toEqual({ kind: 'none' });
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toEqual({ kind: 'none' });
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ kind: 'hops', hops: 2 });
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,fd00::/8' }).trustProxy).toEqual({ kind: 'list', ranges: ['10.0.0.1', '10.1.0.0/16', 'fd00::/8'] });
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.1,proxy.local' })).toThrow(/not an IP address or CIDR/);
    expect(() => loadConfig({ TRUST_PROXY: '99' })).toThrow(/TRUST_PROXY/);
  });
});

describe('the client address behind proxies', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(resolveClientAddress('203.0.113.5', '127.0.0.1', none)).toBe('203.0.113.5');
  });

  it('takes the address the trusted proxy saw, not the spoofed leftmost entry', () => {
    // The client sent "127.0.0.1, 1.2.3.4"; our one proxy appended the address it saw.
    expect(resolveClientAddress('10.0.0.1', '127.0.0.1, 1.2.3.4, 198.51.100.7', oneHop)).toBe('198.51.100.7');
    expect(resolveClientAddress('10.0.0.1', '198.51.100.7', oneHop)).toBe('198.51.100.7');
    expect(resolveClientAddress('::ffff:10.0.0.1', '198.51.100.7:51000', oneHop)).toBe('198.51.100.7');
  });

  it('walks back over as many hops as configured', () => {
    // client → CDN (appends client) → load balancer (appends CDN) → app
    expect(resolveClientAddress('10.0.0.2', 'spoofed, 198.51.100.7, 192.0.2.10', twoHops)).toBe('198.51.100.7');
    // Fewer entries than hops: the furthest one there is.
    expect(resolveClientAddress('10.0.0.2', '198.51.100.7', twoHops)).toBe('198.51.100.7');
  });

  it('with a list, trusts only listed proxies and skips every listed hop', () => {
    expect(resolveClientAddress('10.1.4.4', '127.0.0.1, 198.51.100.7, 10.0.0.1', list)).toBe('198.51.100.7');
    expect(resolveClientAddress('fd00::1', '2001:db8::9', list)).toBe('2001:db8::9');
    // Not from a trusted proxy: the header is the client's own claim, ignored.
    expect(resolveClientAddress('203.0.113.5', '198.51.100.7', list)).toBe('203.0.113.5');
    // A spoofed entry that happens to be in the list is skipped like a proxy, never believed as the client.
    expect(resolveClientAddress('10.0.0.1', '10.1.0.9, 198.51.100.7', list)).toBe('198.51.100.7');
  });

  it('does not take a malformed entry as an address', () => {
    expect(resolveClientAddress('10.0.0.1', '198.51.100.7, not-an-ip', list)).toBe('10.0.0.1');
    expect(resolveClientAddress('10.0.0.1', '', oneHop)).toBe('10.0.0.1');
  });
});

describe(`client address and the development mailbox over a socket (${storeName()})`, () => {
  it('rate-limit keys come from the trusted hop, so varying the leftmost entry changes nothing', async () => {
    const { app, deps } = await testApp({ trustProxy: { kind: 'list', ranges: ['10.0.0.1'] } }, (a) => a.get('/test/client-key', (c) => c.text(clientKey(c))));
    const { host } = await buildTenant(deps.database.db);
    const keys = new Set<string>();
    for (const spoof of ['127.0.0.1', '1.1.1.1', '8.8.8.8']) {
      const res = await app.request('/test/client-key', { headers: { host, 'x-forwarded-for': `${spoof}, 198.51.100.7` } }, socket('10.0.0.1'));
      keys.add(await res.text());
    }
    expect([...keys]).toEqual(['198.51.100.7']);
    const direct = await app.request('/test/client-key', { headers: { host, 'x-forwarded-for': '127.0.0.1' } }, socket('203.0.113.5'));
    expect(await direct.text()).toBe('203.0.113.5');
  });

  it('opens the mailbox to this machine only, whatever X-Forwarded-For says', async () => {
    for (const trustProxy of [{ kind: 'hops', hops: 1 }, { kind: 'list', ranges: ['10.0.0.1', '127.0.0.1'] }] satisfies TrustProxy[]) {
      const { app, deps } = await testApp({ trustProxy });
      const { host } = await buildTenant(deps.database.db);
      const get = (env: ReturnType<typeof socket>, headers: Record<string, string> = {}) => app.request('/dev/mailbox', { headers: { host, ...headers } }, env);
      expect((await get(socket('127.0.0.1'))).status).toBe(200);
      expect((await get(socket('::1'))).status).toBe(200);
      // A spoofed loopback from outside, straight or through a trusted proxy.
      expect((await get(socket('203.0.113.5'), { 'x-forwarded-for': '127.0.0.1' })).status).toBe(404);
      expect((await get(socket('10.0.0.1'), { 'x-forwarded-for': '127.0.0.1' })).status).toBe(404);
      // A reverse proxy on this machine relaying someone else.
      expect((await get(socket('127.0.0.1'), { 'x-forwarded-for': '127.0.0.1, 203.0.113.5' })).status).toBe(404);
      expect((await get(socket('127.0.0.1'), { 'x-forwarded-for': '127.0.0.1' })).status).toBe(404);
    }
  });
});
