// Test helpers of the resource audit (not loaded by the app).
import { expect } from 'vitest';
import { AppError } from '../../server/errors.ts';
import { testApp } from '../../test/app.ts';
import { buildTenant } from '../../test/factories.ts';
import { buildMember } from '../../test/members.ts';
import type { Actor } from '../membership/policy.ts';
import type { Role } from '../membership/schema.ts';
import { listCategories, tenantWards } from './queries.ts';
import { addProviderStaff, saveProvider } from './service.ts';

export async function resSetup() {
  const { app, deps } = await testApp();
  const db = deps.database.db;
  const { tenant, host } = await buildTenant(db);
  const actorOf = (m: { member: { id: string } }, roles: Role[]): Actor => ({ memberId: m.member.id, tenantId: tenant.id, roles: new Set<Role>(['member', ...roles]), sessionId: 's' });
  const coord = await buildMember(db, tenant.id, { roles: ['coordinator'] });
  const partnerA = await buildMember(db, tenant.id, { roles: ['partner'] });
  const partnerB = await buildMember(db, tenant.id, { roles: ['partner'] });
  const coordinator = actorOf(coord, ['coordinator']);
  const providerA = await saveProvider(db, coordinator, { ref: 'PROV-A', name: 'Provider A', kind: 'voluntary' });
  const providerB = await saveProvider(db, coordinator, { ref: 'PROV-B', name: 'Provider B', kind: 'childrens_centre' });
  await addProviderStaff(db, coordinator, providerA, partnerA.member.id);
  await addProviderStaff(db, coordinator, providerB, partnerB.member.id);
  const categories = await listCategories(db, tenant.id);
  const wards = await tenantWards(db, tenant.id);
  return { app, deps, db, tenant, host, coord, partnerA, partnerB, coordinator, partner: actorOf(partnerA, ['partner']), partnerOfB: actorOf(partnerB, ['partner']), actorOf, providerA, providerB, categories, wards };
}

export async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

export const enc = (s: string) => new TextEncoder().encode(s);
