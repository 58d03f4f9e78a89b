import { createApi } from '../server/api.ts';
import { Pages } from '../server/access.ts';
import type { Deps } from '../server/context.ts';
import type { ModuleManifest } from './manifest.ts';

/**
 * What two modules (or a module and the site itself) both claim: a message key, a route
 * (method + path), a table or a permission. The manifest test runs it over src/modules/index.ts.
 */
export function manifestClashes(modules: readonly ModuleManifest[], deps: Deps, site: { messages: readonly string[]; tables: readonly string[] }): string[] {
  const owners = new Map<string, string>();
  const clashes: string[] = [];
  const claim = (kind: string, name: string, owner: string) => {
    const key = `${kind} ${name}`;
    const first = owners.get(key);
    if (first !== undefined) clashes.push(`${key}: ${first} and ${owner}`);
    else owners.set(key, owner);
  };
  for (const key of site.messages) claim('message', key, 'site');
  for (const table of site.tables) claim('table', table, 'platform');
  for (const m of modules) {
    for (const key of Object.keys(m.messages?.en ?? {})) claim('message', key, m.name);
    for (const table of Object.keys(m.data ?? {})) claim('table', table, m.name);
    for (const permission of Object.keys(m.permissions ?? {})) claim('permission', permission, m.name);
    const pages = new Pages();
    m.pages?.(pages, deps);
    for (const r of pages.routes) claim('route', `${r.method} ${r.path}`, m.name);
    const api = createApi();
    m.api?.(api);
    // Hono lists a route once per handler (the access check is one): count each method + path once.
    for (const key of new Set(api.routes.map((r) => `${r.method.toUpperCase()} ${r.path}`))) claim('route', key, m.name);
  }
  return clashes;
}
