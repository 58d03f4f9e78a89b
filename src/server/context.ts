import type { Database } from '../db/connection.ts';
import type { Actor } from '../modules/membership/policy.ts';
import type { Tenant } from '../modules/tenancy/schema.ts';
import type { Locale, Translate } from '../ui/i18n/index.ts';
import type { Assets } from '../ui/assets.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/** What every request handler can reach: built once at start, shared by all requests. */
export interface Deps {
  database: Database;
  config: Config;
  logger: Logger;
  /** The instance key: signs CSRF tokens and backups, seals TOTP seeds and queued email (SECRET_KEY or DATA_DIR/secret.key, never the database; src/server/secret.ts). */
  secret: string;
  assets: Assets;
  /** Time source for the second-factor step (tests inject one to make TOTP codes); Date.now when unset. */
  clock?: () => number;
}

export interface AppEnv {
  Variables: {
    deps: Deps;
    requestId: string;
    tenant: Tenant;
    locale: Locale;
    t: Translate;
    csrfToken: string;
    /** The signed-in member, when there is one. */
    actor: Actor | undefined;
    /** Scope for idempotency keys: the signed-in user, or "anon". */
    actorScope: string;
  };
}
