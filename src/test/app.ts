import type { Hono } from 'hono';
import { createApp } from '../server/app.ts';
import { loadConfig, type Config } from '../server/config.ts';
import type { AppEnv, Deps } from '../server/context.ts';
import { createLogger } from '../server/logger.ts';
import { csrfTokenFor } from '../server/middleware/csrf.ts';
import { buildAssets, type Assets } from '../ui/assets.ts';
import { testDatabase } from './db.ts';
import { TEST_SECRET } from './secret.ts';

export { TEST_SECRET };

const assetsKey = Symbol.for('parent-mutual.test-assets');
type Holder = { [assetsKey]?: Promise<Assets> };

export async function testDeps(overrides: Partial<Config> = {}): Promise<Deps> {
  const holder = globalThis as Holder;
  holder[assetsKey] ??= buildAssets();
  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), ...overrides };
  return {
    database: await testDatabase(),
    config,
    logger: createLogger('silent'),
    secret: TEST_SECRET,
    assets: await holder[assetsKey],
  };
}

export async function testApp(overrides: Partial<Config> = {}, extend?: (app: Hono<AppEnv>) => void) {
  const deps = await testDeps(overrides);
  return { app: createApp(deps, extend ? { extend } : {}), deps };
}

/** Cookie + form token pair for posting forms in tests. */
export function csrfPair(cookieValue = 'csrf-cookie-value-for-tests-000') {
  return { cookie: `pm_csrf=${cookieValue}`, token: csrfTokenFor(TEST_SECRET, cookieValue) };
}
