import { MANIFESTS } from '../modules/index.ts';
import type { ModuleManifest, ScheduledJob } from '../modules/manifest.ts';
import type { Deps } from './context.ts';

/** Every module's scheduled jobs (manifest `jobs`). */
export function scheduledJobs(modules: readonly ModuleManifest[] = MANIFESTS): ScheduledJob[] {
  return modules.flatMap((m) => m.jobs ?? []);
}

/** Run each module's scheduled work once; a failing job is logged and does not stop the others. */
export async function runJobs(deps: Deps, now: Date, modules: readonly ModuleManifest[] = MANIFESTS): Promise<Record<string, number>> {
  const done: Record<string, number> = {};
  for (const job of scheduledJobs(modules)) {
    try {
      done[job.name] = await job.run(deps, now);
    } catch (err) {
      deps.logger.error({ err, job: job.name }, 'scheduled job failed');
    }
  }
  return done;
}

/** Every tenant gets what the modules seed (idempotent), e.g. at start for tenants made before a module existed. */
export async function seedTenantDefaults(deps: Pick<Deps, 'database'>, tenantIds: readonly string[], modules: readonly ModuleManifest[] = MANIFESTS): Promise<void> {
  for (const m of modules) {
    const seed = m.seedTenant?.bind(m);
    if (!seed) continue;
    for (const tenantId of tenantIds) await deps.database.db.transaction((tx) => seed(tx, tenantId));
  }
}
