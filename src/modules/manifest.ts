import type { Db, Executor } from '../db/connection.ts';
import type { TableTags } from '../db/privacy.ts';
import type { ApiApp } from '../server/api.ts';
import type { Access, Pages } from '../server/access.ts';
import type { Deps } from '../server/context.ts';
import type { DemoPart } from '../server/demo.ts';
import type { Child } from 'hono/jsx';
import type { Locale, Translate } from '../ui/i18n/index.ts';
import type { Actor } from './membership/policy.ts';
import type { Role } from './membership/schema.ts';

/** A link in the site navigation, shown to actors the access rule admits ('signed-out': only to them). */
export interface NavEntry {
  href: string;
  /** Message key of the link text. */
  key: string;
  access: Access | 'signed-out';
  /** Position in the bar across modules (lower first). */
  order: number;
}

/** Something the hourly retention run deletes (src/server/retention.ts). */
export interface RetentionJob {
  name: string;
  run(db: Db): Promise<number>;
}

/**
 * Work a module runs on a schedule (src/server/jobs.ts, every few minutes in each app process that
 * sends messages): e.g. session reminders. Must be safe to run twice and from two processes at once
 * (claim rows with a dedupe key or SKIP LOCKED); `now` is injected, never read from the wall clock.
 */
export interface ScheduledJob {
  name: string;
  run(deps: Deps, now: Date): Promise<number>;
}

/** What a module may add to the signed-in member's own page (/me), below their details. */
export interface MePanelContext {
  db: Db;
  actor: Actor;
  t: Translate;
  locale: Locale;
  now: Date;
}

/** One cell of a personal-data download (JSON value and CSV cell). */
export type DataCell = string | number | boolean | null;
export type DataRow = Record<string, DataCell>;

/** The member a download or an erasure is about, as the providers need them (read before any change). */
export interface DataSubject {
  tenantId: string;
  id: string;
  email: string | null;
  phone: string | null;
}

/** What every provider gets for a download: the member, their language, and "who did it" in words. */
export interface ExportContext {
  subject: DataSubject;
  t: Translate;
  /** The actor of a row as the member may see it (never another member's id). */
  who(actor: string): string;
}

/** One section of a download: my-data.json's key, the CSV's fixed columns, its rows (or one object). */
export interface DataSection {
  name: string;
  columns: readonly string[];
  rows: DataRow[] | DataRow;
}

/**
 * A module's part of download-my-data and erasure (SECURITY.md 15–16), for its own tables only.
 * `covers` lists every table of the module holding a member reference (a member_id, or a contact
 * column tagged personal); a schema-driven test fails when a table is claimed by no provider.
 */
export interface PersonalDataProvider {
  /** Place of this provider's sections in the download (lower first). */
  order: number;
  covers: readonly string[];
  exportFor(db: Executor, ctx: ExportContext): Promise<DataSection[]>;
  /** The tables `eraseFor` deletes from or blanks rows of (each vacuumed after an erasure). */
  erases?: readonly string[];
  /** Delete or blank the member's rows in the caller's transaction; answer the tables it changed (to vacuum). Absent: kept after erasure. */
  eraseFor?(tx: Executor, subject: DataSubject): Promise<readonly string[]>;
}

/**
 * What a module brings to the app. `src/modules/index.ts` lists the manifests; the app, the
 * message catalogues, the permission table, retention and demo data are assembled from that list.
 */
export interface ModuleManifest {
  name: string;
  /** Page routes (`route(pages, …)`); the app mounts them static-before-parameter. */
  pages?: (pages: Pages, deps: Deps) => void;
  /** OpenAPI routes (`api.openapi(secured(…), …)`). */
  api?: (api: ApiApp) => void;
  /** Message catalogues; Polish must have every English key (typed by `messages()`). */
  messages?: { en: Readonly<Record<string, string>>; pl: Readonly<Record<string, string>> };
  /** Paths that accept bodies above BODY_LIMIT (uploads), with their own limit in bytes. */
  uploads?: ReadonlyArray<{ path: string; maxBytes: number }>;
  nav?: readonly NavEntry[];
  /** Public links in the site footer (message key + href), e.g. "Check a certificate". */
  footer?: ReadonlyArray<{ href: string; key: string; order: number }>;
  /** Permission → roles holding it. */
  permissions?: Readonly<Record<string, readonly Role[]>>;
  /** The module's tables with their privacy tags: `dataOf(schema, tags)` from its schema.ts and privacy.ts. */
  data?: Readonly<Record<string, TableTags>>;
  retention?: readonly RetentionJob[];
  /** Scheduled work (reminders, expiry notices), run by src/server/jobs.ts. */
  jobs?: readonly ScheduledJob[];
  /**
   * Per-tenant defaults (e.g. a course catalogue), written in the transaction that creates a tenant
   * and again at every start for existing tenants: must be idempotent (insert what is missing only).
   */
  seedTenant?(tx: Executor, tenantId: string): Promise<void>;
  /** A section of /me (null: nothing to show), e.g. "your next sessions". Sorted by `order`. */
  mePanel?: { order: number; render(ctx: MePanelContext): Promise<Child | null> };
  demo?: DemoPart;
  personalData?: PersonalDataProvider;
}

/** A module's catalogues, checked at compile time: `pl` must have exactly `en`'s keys. */
export function messages<const E extends Record<string, string>>(en: E, pl: Record<keyof E, string>): { en: E; pl: Record<keyof E, string> } {
  return { en, pl };
}

export { dataOf } from '../db/privacy.ts';
