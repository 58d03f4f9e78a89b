// Issue 13 item 9: awards in the 360Giving Data Standard, validated against its schema (ajv 8, draft 2020-12).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Tx } from '../../db/connection.ts';
import { testApp } from '../../test/app.ts';
import { storeName } from '../../test/db.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import type { Actor } from '../membership/policy.ts';
import { parseCsvRecords } from '../../lib/csv.ts';
import { castBallot } from './ballots.ts';
import { closeAndCount } from './counting.ts';
import { awards360Csv, type Grant360 } from './giving360.ts';
import { createPot, recordIncome } from './ledger.ts';
import { createProposal, decideEligibility } from './proposals.ts';
import { onRoundDecided } from './ratify.ts';
import { advanceRound, createRound } from './rounds.ts';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '360giving');
const grantSchema = JSON.parse(readFileSync(path.join(DIR, '360-giving-schema.json'), 'utf8')) as Record<string, unknown>;
const packageSchema = JSON.parse(readFileSync(path.join(DIR, '360-giving-package-schema.json'), 'utf8')) as Record<string, unknown>;

/** The files say `http://json-schema.org/draft/2020-12/schema`; ajv knows the dialect by its https address. */
function dialect(schema: Record<string, unknown>): Record<string, unknown> {
  return { ...schema, $schema: 'https://json-schema.org/draft/2020-12/schema' };
}

function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  // The package schema refers to the grant schema by its 1.4.2 address (SOURCE.md): register it under both.
  ajv.addSchema(dialect(grantSchema));
  ajv.addSchema({ ...dialect(grantSchema), $id: String(grantSchema.$id).replace('1.4.3', '1.4.2') });
  return ajv.compile(dialect(packageSchema));
}

describe(`360Giving awards export (${storeName()})`, { timeout: 120_000 }, () => {
  it('publishes the funded proposals of a ratified round as valid 360Giving JSON and CSV, with ward geoCodes', async () => {
    const { app, deps } = await testApp();
    const db = deps.database.db;
    const { tenant, host } = await buildTenant(db);
    const coordM = await buildMember(db, tenant.id, { roles: ['coordinator'] });
    const coord: Actor = { memberId: coordM.member.id, tenantId: tenant.id, roles: new Set(['member', 'coordinator']), sessionId: 's' };
    const potId = await createPot(db, coord, { name: 'Early years', financialYear: '2026-27', source: 'devolved_budget', funder: 'The council' });
    await recordIncome(db, coord, { potId, amount: '50000', idempotencyKey: 'income-360-test-0001' });
    const roundId = await createRound(db, coord, { title: 'Round', potId, budget: '10000', ballotType: 'approval', maxChoices: '2', rule: 'mes', completion: 'add1_utilitarian' });
    const [ward] = await deps.database.query<{ id: string }>(`SELECT w.id FROM wards w JOIN areas a ON a.tenant_id = w.tenant_id AND a.current_ward_set_id = w.ward_set_id WHERE w.tenant_id = $1 AND w.code = 'E05010264'`, [tenant.id]);
    const ids: string[] = [];
    for (const [title, cost] of [['Dads group', '3000'], ['Toy library', '4000'], ['Walks', '9000']] as const) {
      const id = await createProposal(db, coord, { title, summary: 'Something for families with under-fives.', cost, roundId, wardIds: [ward!.id], providerText: 'Home-Start Corby' });
      await decideEligibility(db, coord, id, { decision: 'eligible', reason: 'It fits the aims.' });
      ids.push(id);
    }
    await advanceRound(db, coord, roundId, 'review');
    await advanceRound(db, coord, roundId, 'voting');
    for (let i = 0; i < 5; i++) {
      const m = await buildMember(db, tenant.id);
      await castBallot(db, { ...coord, memberId: m.member.id, roles: new Set(['member']) }, roundId, { choose: i < 4 ? [ids[0]!, ids[1]!] : [ids[2]!] });
    }
    const result = await closeAndCount(db, coord, roundId, tenant.name);
    await db.transaction((tx) => onRoundDecided(tx as unknown as Tx, tenant.id, roundId, { motionId: '00000000-0000-4000-8000-000000000002', decidedOn: '2026-11-30', outcome: 'carried', votesFor: 3, votesAgainst: 0, abstentions: 0, conflicted: 0, decisionNumber: 1 }));
    const res = await app.request('/budget/awards.json', { headers: { host } });
    expect(res.status).toBe(200);
    const pkg = (await res.json()) as { grants: Grant360[] };
    const validate = validator();
    const ok = validate(pkg);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(pkg.grants.map((g) => g.id.split('-').slice(-5).join('-')).sort()).toEqual([...result.winners].sort());
    expect(pkg.grants[0]?.beneficiaryLocation[0]).toEqual({ name: expect.any(String), geoCode: 'E05010264', geoCodeType: 'WD', countryCode: 'GB' });
    expect(pkg.grants.every((g) => g.currency === 'GBP' && g.amountAwarded > 0)).toBe(true);
    // An invalid grant fails the same validator (the test would notice a broken export).
    expect(validate({ grants: [{ ...pkg.grants[0], amountAwarded: 'lots' }] })).toBe(false);
    const csv = await app.request('/budget/awards.csv', { headers: { host } });
    const { header, records } = parseCsvRecords(await csv.text());
    expect(header.slice(0, 5)).toEqual(['Identifier', 'Title', 'Description', 'Currency', 'Amount Awarded']);
    expect(records).toHaveLength(pkg.grants.length);
    expect(awards360Csv(pkg.grants)).toContain('E05010264');
  });
});
