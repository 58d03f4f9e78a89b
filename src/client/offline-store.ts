// IndexedDB behind the queue's storage interface (report-queue.ts), plus a small key-value store for
// what the form needs offline (its lists, the front door number, the CSRF token). Plain IndexedDB,
// no wrapper package. Used by the page and by the service worker (Background Sync).
import type { PolygonGeometry } from '../lib/geo.ts';
import type { QueueItem, QueueStorage } from './report-queue.ts';

const DB_NAME = 'pm-offline';
const VERSION = 1;
const QUEUE = 'queue';
const META = 'meta';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export function openOfflineDb(factory: IDBFactory = indexedDB): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(DB_NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: 'clientId' });
      if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB cannot be opened'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

export class IdbStorage implements QueueStorage {
  constructor(private readonly db: IDBDatabase) {}

  all(): Promise<QueueItem[]> {
    return promised(this.db.transaction(QUEUE, 'readonly').objectStore(QUEUE).getAll() as IDBRequest<QueueItem[]>);
  }

  get(clientId: string): Promise<QueueItem | undefined> {
    return promised(this.db.transaction(QUEUE, 'readonly').objectStore(QUEUE).get(clientId) as IDBRequest<QueueItem | undefined>);
  }

  async put(item: QueueItem): Promise<void> {
    const tx = this.db.transaction(QUEUE, 'readwrite');
    tx.objectStore(QUEUE).put(item);
    await done(tx);
  }

  async delete(clientId: string): Promise<void> {
    const tx = this.db.transaction(QUEUE, 'readwrite');
    tx.objectStore(QUEUE).delete(clientId);
    await done(tx);
  }

  /** Read, change and write in one readwrite transaction: atomic against the other tab and the worker. */
  async update(clientId: string, change: (item: QueueItem) => QueueItem | null | undefined): Promise<QueueItem | undefined> {
    const tx = this.db.transaction(QUEUE, 'readwrite');
    const store = tx.objectStore(QUEUE);
    let result: QueueItem | undefined;
    const request = store.get(clientId) as IDBRequest<QueueItem | undefined>;
    request.onsuccess = () => {
      const item = request.result;
      if (!item) return;
      const next = change(item);
      if (next === null) store.delete(clientId);
      else if (next === undefined) result = item;
      else {
        store.put(next);
        result = next;
      }
    };
    await done(tx);
    return result;
  }
}

/** What the form keeps offline besides the queue. */
export interface OfflineMeta {
  formData: OfflineFormData;
  /** The front door from the last concern's answer (or the form data). */
  frontDoor: { name: string; phone: string };
  /** The GeoJSON of the current ward set, for "use my location". */
  boundaries: WardBoundaries;
  /** The page's CSRF token (the service worker has no page to read it from). */
  csrf: string;
}

export interface OfflineFormData {
  categories: Array<{ key: string; title: string; titlePl?: string | null }>;
  wards: Array<{ code: string; name: string }>;
  /** Not in the first contract: taken when the server sends it, else from the last concern's answer. */
  frontDoor?: { name: string; phone: string };
}

export interface WardBoundaries {
  type: 'FeatureCollection';
  features: Array<{ properties: { code: string; name: string }; geometry: PolygonGeometry | null }>;
}

export async function getMeta<K extends keyof OfflineMeta>(db: IDBDatabase, key: K): Promise<OfflineMeta[K] | undefined> {
  return promised(db.transaction(META, 'readonly').objectStore(META).get(key) as IDBRequest<OfflineMeta[K] | undefined>);
}

export async function setMeta<K extends keyof OfflineMeta>(db: IDBDatabase, key: K, value: OfflineMeta[K]): Promise<void> {
  const tx = db.transaction(META, 'readwrite');
  tx.objectStore(META).put(value, key);
  await done(tx);
}
