import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/app.ts';
import { TestClient } from '../../test/client.ts';
import { storeName, testDatabase } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import { phoneCandidates, searchMembers } from './queries.ts';

describe('phoneCandidates', () => {
  it.each([
    ['07700 900123', '+447700900123'],
    ['+447700900123', '+447700900123'],
    ['+44 (0)7700 900123', '+447700900123'],
    ['447700900123', '+447700900123'],
    ['+48 600 100 200', '+48600100200'],
    ['0048 600 100 200', '+48600100200'],
  ])('%s → %s', (typed, e164) => {
    expect(phoneCandidates(typed)).toContain(e164);
  });

  it.each(['anna', 'kłos', 'member12@', '12-3', '+'])('%s is not a phone number', (typed) => {
    expect(phoneCandidates(typed)).toBeUndefined();
  });
});

describe(`member search (${storeName()})`, () => {
  async function setUp() {
    const database = await testDatabase();
    const { tenant } = await buildTenant(database.db);
    const gosia = await buildMember(database.db, tenant.id, { name: 'Małgorzata Kłos', phone: '+447700900123' });
    const jan = await buildMember(database.db, tenant.id, { name: 'Jan Żółtowski', phone: '+48600100200' });
    const other = await buildMember(database.db, tenant.id, { name: 'Grace Evans', phone: '+447700900999' });
    const names = async (q: string) =>
      (await searchMembers(database.db, tenant.id, { q, sort: 'name', limit: 25, offset: 0 })).rows.map((r) => r.name);
    return { database, tenant, gosia, jan, other, names };
  }

  it('finds names without their accents, in any case, and with them', async () => {
    const { names } = await setUp();
    expect(await names('malgorzata')).toEqual(['Małgorzata Kłos']);
    expect(await names('klos')).toEqual(['Małgorzata Kłos']);
    expect(await names('KLOS')).toEqual(['Małgorzata Kłos']);
    expect(await names('Kłos')).toEqual(['Małgorzata Kłos']);
    expect(await names('zoltowski')).toEqual(['Jan Żółtowski']);
    expect(await names('gorzata k')).toEqual(['Małgorzata Kłos']);
    // LIKE wildcards typed by a person are literal.
    expect(await names('%')).toEqual([]);
  });

  it('finds members by phone number however it is typed', async () => {
    const { names } = await setUp();
    for (const q of ['07700 900123', '+447700900123', '+44 7700 900123', '447700900123']) expect(await names(q), q).toEqual(['Małgorzata Kłos']);
    for (const q of ['+48 600 100 200', '0048600100200', '+48600100200']) expect(await names(q), q).toEqual(['Jan Żółtowski']);
    expect(await names('07700 900124')).toEqual([]);
  });

  it('the accent-free name match can use the trigram index', async () => {
    const { database } = await setUp();
    // With sequential scans off, the planner picks the index if it matches the expression at all.
    const plan = await database.rawTransaction(async (query) => {
      await query('SET LOCAL enable_seqscan = off');
      return query<{ 'QUERY PLAN': string }>(
        "EXPLAIN SELECT id FROM members WHERE f_unaccent(lower(name)) LIKE f_unaccent('%malgorzata%')",
      );
    });
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('members_name_unaccent_trgm');
  });

  it('the coordinators\' search page finds "klos"', async () => {
    const { app, deps } = await testApp();
    const { tenant, host } = await buildTenant(deps.database.db);
    await buildMember(deps.database.db, tenant.id, { name: 'Małgorzata Kłos', phone: '+447700900123' });
    const coordinator = await buildMember(deps.database.db, tenant.id, { roles: ['coordinator'] });
    const coord = new TestClient(app, host);
    await coord.get('/about');
    coord.cookies.set('pm_session', coordinator.cookie);
    expect(await (await coord.get('/coordinator/members?q=klos')).text()).toContain('Małgorzata Kłos');
    expect(await (await coord.get(`/coordinator/members?q=${encodeURIComponent('07700 900123')}`)).text()).toContain('Małgorzata Kłos');
  });
});
