// The phone's durable queue of street champions' reports and concerns, as a pure state machine over a
// storage interface (IndexedDB in the browser: offline-store.ts; a Map in tests and the benchmark).
// No DOM, no fetch, no clock of its own: everything comes in through QueueDeps, so it runs the same in
// the page, the service worker, Vitest and Node.
//
// Life of an item:
//   draft ──send──▶ waiting ──server 201/200──▶ (removed: only now does it leave the phone)
//                     │  ▲ network error, 5xx, 401, 404, 408, 429: stays waiting, retried with backoff
//                     │  └──────────────────────────────────────────────┘
//                     ├── 409 ──▶ conflict  (kept with the server's message; "send as new" gives a new id)
//                     └── 400/403/422 ──▶ refused (kept with why; the champion edits, or confirms, and sends again)
// Nothing expires by age: an item is removed only after the server confirmed it, or when the champion
// deletes their own draft.

export const ITEM_KINDS = ['report', 'concern'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export type ItemState = 'draft' | 'waiting' | 'conflict' | 'refused';

/** The body of POST /api/v1/intelligence/reports (the contract with the server). */
export interface ReportBody {
  categoryKey: string;
  wardCode: string;
  observedOn: string;
  observedText: string;
  familiesEstimate: number;
  since: string;
  source: string;
  point?: { lon: number; lat: number };
  confirmNoPersonalDetails?: boolean;
}

/** The body of POST /api/v1/intelligence/concerns. */
export interface ConcernBody {
  observedText: string;
  wardCode?: string;
}

export type ItemBody = ReportBody | ConcernBody;

export interface Refusal {
  /** `conflict`, `personal_details`, `validation_failed`, `forbidden`, … (the server's error code). */
  code: string;
  /** The server's message (already in the champion's language when the server knows it). */
  message: string;
  /** Field issues (400) or the kinds of personal details found (422), as the server sent them. */
  fields?: unknown[];
  /** HTTP status that caused it. */
  status: number;
}

export interface QueueItem {
  /** Made on the phone when the item is first saved; the server's idempotency key. */
  clientId: string;
  kind: ItemKind;
  state: ItemState;
  body: ItemBody;
  /** Milliseconds since the epoch (deps.now). */
  createdAt: number;
  updatedAt: number;
  /** Failed sending attempts since it was last queued (drives the backoff). */
  attempts: number;
  /** Not before this time (ms) is it tried again. */
  nextAttemptAt: number;
  /** Why the server refused it (conflict / refused), or why the last attempt failed (waiting). */
  reason?: Refusal;
  lastError?: string;
}

/** What storage must do. `update` is atomic: it reads, applies `change` and writes in one step. */
export interface QueueStorage {
  all(): Promise<QueueItem[]>;
  get(clientId: string): Promise<QueueItem | undefined>;
  put(item: QueueItem): Promise<void>;
  delete(clientId: string): Promise<void>;
  /**
   * Apply `change` to the stored item, if there is one: a returned item is written, `null` deletes it,
   * `undefined` leaves it. Answers the stored result (undefined when missing or deleted).
   */
  update(clientId: string, change: (item: QueueItem) => QueueItem | null | undefined): Promise<QueueItem | undefined>;
}

/** What the server answered to one send, as the transport understood it. */
export type SendOutcome =
  | { kind: 'accepted'; status: 200 | 201; body: Record<string, unknown> }
  | { kind: 'conflict'; refusal: Refusal }
  | { kind: 'refused'; refusal: Refusal }
  /** Try again later: no answer, a server error, not signed in, too many requests. */
  | { kind: 'retry'; reason: string; status?: number; stopRound?: boolean };

export interface Transport {
  send(item: QueueItem): Promise<SendOutcome>;
  /** POST /api/v1/intelligence/sync after each attempt; failures are ignored (it is only a status). */
  reportSync?(counts: { waiting: number; refused: number }): Promise<void>;
}

export interface Backoff {
  /** First retry after about this many ms. */
  baseMs: number;
  /** Never wait longer than this (ms) between attempts: a phone offline for a week still retries. */
  capMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 2_000, capMs: 5 * 60_000 };

export interface QueueDeps {
  storage: QueueStorage;
  transport: Transport;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Uniform in [0, 1): jitter. */
  random: () => number;
  /** A new client id (8–64 chars of [A-Za-z0-9_-]). */
  makeId: () => string;
  backoff?: Backoff;
  /** Items sent at once in one round (the benchmark raises it; the phone keeps it small). */
  concurrency?: number;
}

const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

export function isClientId(value: string): boolean {
  return CLIENT_ID.test(value);
}

/** A client id from crypto.randomUUID without its dashes (32 hex characters), within the contract. */
export function clientIdFrom(uuid: string): string {
  const id = uuid.replaceAll('-', '');
  if (!isClientId(id)) throw new Error('not a usable client id');
  return id;
}

/**
 * Delay before attempt number `attempts + 1` after `attempts` failures: exponential, capped, with
 * "equal jitter" (half fixed, half random), so phones that came back online together spread out
 * but none waits less than half the step.
 */
export function backoffDelay(attempts: number, random: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  const step = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(step / 2 + random * (step / 2));
}

export interface SyncResult {
  /** Items the server confirmed in this round (they have left the queue). */
  accepted: Array<{ item: QueueItem; status: 200 | 201; body: Record<string, unknown> }>;
  conflicts: QueueItem[];
  refused: QueueItem[];
  /** Items tried and still waiting. */
  retried: QueueItem[];
  counts: QueueCounts;
}

export interface QueueCounts {
  drafts: number;
  waiting: number;
  /** Refused and conflicting items: kept for the champion to fix. */
  refused: number;
}

export function countsOf(items: readonly QueueItem[]): QueueCounts {
  return {
    drafts: items.filter((i) => i.state === 'draft').length,
    waiting: items.filter((i) => i.state === 'waiting').length,
    refused: items.filter((i) => i.state === 'refused' || i.state === 'conflict').length,
  };
}

/** Oldest first: the order the champion filed them. */
function byAge(a: QueueItem, b: QueueItem): number {
  return a.createdAt - b.createdAt || (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0);
}

export class ReportQueue {
  private running: Promise<SyncResult> | undefined;

  constructor(private readonly deps: QueueDeps) {}

  private newItem(kind: ItemKind, state: ItemState, body: ItemBody): QueueItem {
    const now = this.deps.now();
    const clientId = this.deps.makeId();
    if (!isClientId(clientId)) throw new Error('makeId gave an id outside the contract');
    return { clientId, kind, state, body, createdAt: now, updatedAt: now, attempts: 0, nextAttemptAt: now };
  }

  /** Every item, oldest first. */
  async list(): Promise<QueueItem[]> {
    return (await this.deps.storage.all()).sort(byAge);
  }

  async counts(): Promise<QueueCounts> {
    return countsOf(await this.deps.storage.all());
  }

  /** Save a new draft report (it gets its client id now) and answer it. */
  async saveDraft(body: ReportBody): Promise<QueueItem> {
    const item = this.newItem('report', 'draft', body);
    await this.deps.storage.put(item);
    return item;
  }

  /**
   * Change the content of a draft or of a refused item (the champion fixing what the server refused).
   * It keeps its client id (the server never stored it); a refused item becomes a draft again.
   * Waiting items cannot be edited (they may already be on their way), nor conflicting ones (the
   * server holds other content under that id: use sendAsNew).
   */
  async edit(clientId: string, body: ItemBody): Promise<QueueItem> {
    const now = this.deps.now();
    const updated = await this.deps.storage.update(clientId, (item) => {
      if (item.state !== 'draft' && item.state !== 'refused') return undefined;
      return { ...item, body, state: 'draft', updatedAt: now, reason: undefined, lastError: undefined };
    });
    if (!updated || updated.state !== 'draft') throw new QueueError('not_editable', clientId);
    return updated;
  }

  /** "Send": a draft (or a fixed refused item) moves into the queue. */
  async send(clientId: string): Promise<QueueItem> {
    const now = this.deps.now();
    const updated = await this.deps.storage.update(clientId, (item) => {
      if (item.state !== 'draft' && item.state !== 'refused') return undefined;
      return { ...item, state: 'waiting', attempts: 0, nextAttemptAt: now, updatedAt: now, reason: undefined, lastError: undefined };
    });
    if (!updated || updated.state !== 'waiting') throw new QueueError('not_sendable', clientId);
    return updated;
  }

  /** File a report straight into the queue (no draft step). */
  async queueReport(body: ReportBody): Promise<QueueItem> {
    const item = this.newItem('report', 'waiting', body);
    await this.deps.storage.put(item);
    return item;
  }

  /** A safeguarding concern goes straight into the queue: never kept as a draft. */
  async queueConcern(body: ConcernBody): Promise<QueueItem> {
    const item = this.newItem('concern', 'waiting', body);
    await this.deps.storage.put(item);
    return item;
  }

  /** After a 422: the champion has checked the text ("send anyway"): queue it again with the confirmation. */
  async confirmNoPersonalDetails(clientId: string): Promise<QueueItem> {
    const now = this.deps.now();
    const updated = await this.deps.storage.update(clientId, (item) => {
      if (item.kind !== 'report' || (item.state !== 'refused' && item.state !== 'draft')) return undefined;
      return { ...item, body: { ...(item.body as ReportBody), confirmNoPersonalDetails: true }, state: 'waiting', attempts: 0, nextAttemptAt: now, updatedAt: now, reason: undefined };
    });
    if (!updated || updated.state !== 'waiting') throw new QueueError('not_sendable', clientId);
    return updated;
  }

  /**
   * A conflicting item (the server has other content under its id) is sent again under a new id: the
   * server keeps what it has, the phone's content arrives as its own report. Nothing is lost.
   */
  async sendAsNew(clientId: string): Promise<QueueItem> {
    const old = await this.deps.storage.get(clientId);
    if (!old || old.state !== 'conflict') throw new QueueError('not_sendable', clientId);
    const fresh = { ...this.newItem(old.kind, 'waiting', old.body), createdAt: old.createdAt };
    await this.deps.storage.put(fresh);
    await this.deps.storage.delete(clientId);
    return fresh;
  }

  /** The champion removes their own draft (or an item the server refused). Waiting items cannot be deleted. */
  async discard(clientId: string): Promise<void> {
    const removed = await this.deps.storage.update(clientId, (item) => (item.state === 'waiting' ? undefined : null));
    if (removed) throw new QueueError('not_discardable', clientId);
  }

  /** When the next waiting item is due (ms), or undefined when nothing waits. */
  async nextDueAt(): Promise<number | undefined> {
    const waiting = (await this.deps.storage.all()).filter((i) => i.state === 'waiting');
    return waiting.length ? Math.min(...waiting.map((i) => i.nextAttemptAt)) : undefined;
  }

  /**
   * One round: send every waiting item that is due (all of them with `force`, e.g. the online
   * event), oldest first. One round at a time: a call while one runs answers the running one.
   */
  sync(options: { force?: boolean } = {}): Promise<SyncResult> {
    this.running ??= this.round(options.force ?? false).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async round(force: boolean): Promise<SyncResult> {
    const { storage, transport, now, random } = this.deps;
    const backoff = this.deps.backoff ?? DEFAULT_BACKOFF;
    const started = now();
    const due = (await storage.all()).filter((i) => i.state === 'waiting' && (force || i.nextAttemptAt <= started)).sort(byAge);
    const result: SyncResult = { accepted: [], conflicts: [], refused: [], retried: [], counts: { drafts: 0, waiting: 0, refused: 0 } };
    let stop = false;
    const one = async (item: QueueItem) => {
      let outcome: SendOutcome;
      try {
        outcome = await transport.send(item);
      } catch (err) {
        outcome = { kind: 'retry', reason: err instanceof Error ? err.message : String(err) };
      }
      const at = now();
      switch (outcome.kind) {
        case 'accepted': {
          // Only the server's confirmation removes it; a concurrent edit cannot happen (waiting items are locked).
          await storage.update(item.clientId, () => null);
          result.accepted.push({ item, status: outcome.status, body: outcome.body });
          break;
        }
        case 'conflict':
        case 'refused': {
          const state: ItemState = outcome.kind === 'conflict' ? 'conflict' : 'refused';
          const kept = await storage.update(item.clientId, (stored) => (stored.state === 'waiting' ? { ...stored, state, reason: outcome.refusal, updatedAt: at } : undefined));
          if (kept) (state === 'conflict' ? result.conflicts : result.refused).push(kept);
          break;
        }
        case 'retry': {
          if (outcome.stopRound) stop = true;
          const kept = await storage.update(item.clientId, (stored) => {
            if (stored.state !== 'waiting') return undefined;
            const attempts = stored.attempts + 1;
            return { ...stored, attempts, nextAttemptAt: at + backoffDelay(attempts, random(), backoff), lastError: outcome.reason, updatedAt: at };
          });
          if (kept) result.retried.push(kept);
          break;
        }
        default: {
          const never: never = outcome;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    };
    const width = Math.max(1, this.deps.concurrency ?? 2);
    let next = 0;
    const worker = async () => {
      while (!stop && next < due.length) {
        const item = due[next];
        next += 1;
        if (item) await one(item);
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, due.length) }, () => worker()));
    result.counts = countsOf(await storage.all());
    // Reported after every round, even one with nothing to send: coordinators see when the phone
    // last synced, and a quiet phone is not a stuck one. Rounds only run on a trigger (load, online,
    // visible again, Background Sync, or a timer while something waits), so this stays rare.
    if (transport.reportSync) {
      try {
        await transport.reportSync({ waiting: result.counts.waiting, refused: result.counts.refused });
      } catch {
        // Only a status for the coordinators' "phones" page: the next round reports again.
      }
    }
    return result;
  }
}

export class QueueError extends Error {
  constructor(
    readonly code: 'not_editable' | 'not_sendable' | 'not_discardable',
    readonly clientId: string,
  ) {
    super(`${code}: ${clientId}`);
  }
}

/** A storage in memory: for tests, the benchmark, and a browser without IndexedDB (then nothing survives a reload). */
export class MemoryStorage implements QueueStorage {
  private readonly items = new Map<string, QueueItem>();

  async all(): Promise<QueueItem[]> {
    return [...this.items.values()].map((i) => structuredClone(i));
  }

  async get(clientId: string): Promise<QueueItem | undefined> {
    const item = this.items.get(clientId);
    return item ? structuredClone(item) : undefined;
  }

  async put(item: QueueItem): Promise<void> {
    this.items.set(item.clientId, structuredClone(item));
  }

  async delete(clientId: string): Promise<void> {
    this.items.delete(clientId);
  }

  async update(clientId: string, change: (item: QueueItem) => QueueItem | null | undefined): Promise<QueueItem | undefined> {
    const item = this.items.get(clientId);
    if (!item) return undefined;
    const next = change(structuredClone(item));
    if (next === null) {
      this.items.delete(clientId);
      return undefined;
    }
    if (next === undefined) return structuredClone(item);
    this.items.set(clientId, structuredClone(next));
    return structuredClone(next);
  }
}

/** Where each kind is sent. */
export const ENDPOINTS: Record<ItemKind, string> = {
  report: '/api/v1/intelligence/reports',
  concern: '/api/v1/intelligence/concerns',
};
export const SYNC_ENDPOINT = '/api/v1/intelligence/sync';
export const FORM_DATA_ENDPOINT = '/api/v1/intelligence/form-data';

/** The JSON body for an item: its content plus its client id. */
export function requestBody(item: QueueItem): Record<string, unknown> {
  return { clientId: item.clientId, ...item.body };
}

/**
 * How an HTTP answer maps onto the queue (shared by the browser transport and the benchmark):
 * 200/201 confirm; 409 conflict; 400/403/413/422 refuse (kept, marked); the rest retries.
 */
export function outcomeOf(status: number, json: unknown): SendOutcome {
  const body = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const error = (body.error && typeof body.error === 'object' ? body.error : {}) as { code?: unknown; message?: unknown; fields?: unknown };
  const refusal = (): Refusal => ({
    code: typeof error.code === 'string' ? error.code : String(status),
    message: typeof error.message === 'string' ? error.message : '',
    ...(Array.isArray(error.fields) ? { fields: error.fields as unknown[] } : {}),
    status,
  });
  if (status === 200 || status === 201) return { kind: 'accepted', status, body };
  if (status === 409) return { kind: 'conflict', refusal: refusal() };
  if (status === 401) return { kind: 'retry', reason: 'signed_out', status, stopRound: true };
  if (status === 400 || status === 403 || status === 413 || status === 422) return { kind: 'refused', refusal: refusal() };
  return { kind: 'retry', reason: `http_${status}`, status };
}
