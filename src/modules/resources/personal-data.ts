import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { iso } from '../../lib/iso.ts';
import type { DataSection, DataSubject, ExportContext, PersonalDataProvider } from '../manifest.ts';
import { resImports, resProviders, resProviderStaff, resScenarios } from './schema.ts';

const ERASES = ['res_provider_staff', 'res_imports', 'res_scenarios'] as const;

/**
 * The resource audit's member references: the member's staff links to providers (and links they
 * added), imports they ran and scenarios they drew up. Erasure deletes their staff links and
 * clears them as adder, importer and author (the imports and scenarios stay, nobody's).
 */
export const resourcesPersonalData = {
  order: 60,
  covers: ERASES,
  async exportFor(db: Executor, { subject }: ExportContext): Promise<DataSection[]> {
    const staff = await db
      .select({ provider: resProviders.name, addedAt: resProviderStaff.addedAt })
      .from(resProviderStaff)
      .innerJoin(resProviders, and(eq(resProviders.tenantId, resProviderStaff.tenantId), eq(resProviders.id, resProviderStaff.providerId)))
      .where(and(eq(resProviderStaff.tenantId, subject.tenantId), eq(resProviderStaff.memberId, subject.id)))
      .orderBy(asc(resProviderStaff.addedAt));
    const imports = await db
      .select({ kind: resImports.kind, fileName: resImports.fileName, rowsRead: resImports.rowsRead, rowsAdded: resImports.rowsAdded, rowsChanged: resImports.rowsChanged, importedAt: resImports.importedAt })
      .from(resImports)
      .where(and(eq(resImports.tenantId, subject.tenantId), eq(resImports.importedBy, subject.id)))
      .orderBy(asc(resImports.importedAt));
    const scenarios = await db
      .select({ name: resScenarios.name, createdAt: resScenarios.createdAt })
      .from(resScenarios)
      .where(and(eq(resScenarios.tenantId, subject.tenantId), eq(resScenarios.createdBy, subject.id)))
      .orderBy(asc(resScenarios.createdAt));
    return [
      { name: 'resourceProviderStaff', columns: ['provider', 'addedAt'], rows: staff.map((s) => ({ provider: s.provider, addedAt: iso(s.addedAt) })) },
      { name: 'resourceImports', columns: ['kind', 'fileName', 'rowsRead', 'rowsAdded', 'rowsChanged', 'importedAt'], rows: imports.map((i) => ({ ...i, importedAt: iso(i.importedAt) })) },
      { name: 'resourceScenarios', columns: ['name', 'createdAt'], rows: scenarios.map((s) => ({ name: s.name, createdAt: iso(s.createdAt) })) },
    ];
  },
  erases: ERASES,
  async eraseFor(tx: Executor, subject: DataSubject): Promise<readonly string[]> {
    await tx.delete(resProviderStaff).where(and(eq(resProviderStaff.tenantId, subject.tenantId), eq(resProviderStaff.memberId, subject.id)));
    await tx.update(resProviderStaff).set({ addedBy: null }).where(and(eq(resProviderStaff.tenantId, subject.tenantId), eq(resProviderStaff.addedBy, subject.id)));
    await tx.update(resImports).set({ importedBy: null }).where(and(eq(resImports.tenantId, subject.tenantId), eq(resImports.importedBy, subject.id)));
    await tx.update(resScenarios).set({ createdBy: null }).where(and(eq(resScenarios.tenantId, subject.tenantId), eq(resScenarios.createdBy, subject.id)));
    return ERASES;
  },
} satisfies PersonalDataProvider;
