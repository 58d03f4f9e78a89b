import type { MiddlewareHandler } from 'hono';
import { findDefaultTenant, findTenantByHost } from '../../modules/tenancy/queries.ts';
import type { Tenant } from '../../modules/tenancy/schema.ts';
import { normaliseHost } from '../../modules/tenancy/service.ts';
import type { AppEnv } from '../context.ts';
import { AppError } from '../errors.ts';

const TTL_MS = 30_000;

/** Host header → the name tenants are stored under: lower case, no port, no trailing root dot. */
export function requestHost(header: string | undefined): string {
  // "corby.example.org." is the same name as "corby.example.org" (fully qualified).
  return normaliseHost(header).replace(/\.+$/, '');
}

/**
 * Resolve the tenant from the Host header. Unknown hosts get the default tenant unless the
 * operator switched that off (DEFAULT_TENANT=off), in which case they get a 404.
 * A short cache keeps this off the hot path; tenants rarely change.
 */
export function tenancy(): MiddlewareHandler<AppEnv> {
  const cache = new Map<string, { tenant: Tenant | null; at: number }>();
  return async (c, next) => {
    const { database, config } = c.get('deps');
    const host = requestHost(c.req.header('host'));
    const now = Date.now();
    let hit = cache.get(host);
    if (!hit || now - hit.at > TTL_MS) {
      const byHost = await findTenantByHost(database.db, host);
      const tenant = byHost ?? (config.defaultTenantEnabled ? await findDefaultTenant(database.db) : undefined);
      hit = { tenant: tenant ?? null, at: now };
      if (cache.size > 1000) cache.clear();
      cache.set(host, hit);
    }
    if (!hit.tenant) throw new AppError('unknown_host', 'No mutual is set up at this address.');
    c.set('tenant', hit.tenant);
    await next();
  };
}
