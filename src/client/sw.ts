// The service worker, served at /sw.js (scope /) by src/modules/intelligence/pages-offline.tsx, which
// puts `self.PM_SW = { version, precache }` in front of this bundle. It keeps the report page shell,
// its CSS and JS, the form data and the ward boundaries, so that /intelligence/report opens and
// saves offline; with Background Sync it also sends the queue when the page is closed.
// Caches have no expiry by age; a new version (new assets) replaces the old cache on activation.
// The queue itself lives in IndexedDB, never in these caches.
import { getMeta, openOfflineDb } from './offline-store.ts';
import { makeQueue, runQueue, SYNC_TAG } from './offline-runner.ts';

interface ExtendableEventLike extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface SyncEventLike extends ExtendableEventLike {
  tag: string;
}
interface WorkerScope {
  PM_SW?: { version: string; precache: string[] };
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void>; matchAll(o?: { includeUncontrolled?: boolean }): Promise<Array<{ postMessage(m: unknown): void }>> };
  addEventListener(type: 'install' | 'activate', l: (e: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', l: (e: FetchEventLike) => void): void;
  addEventListener(type: 'sync', l: (e: SyncEventLike) => void): void;
}

const sw = self as unknown as WorkerScope;
const config = sw.PM_SW ?? { version: 'dev', precache: [] };
const PREFIX = 'pm-offline-';
const CACHE = `${PREFIX}${config.version}`;
export const SHELL = '/intelligence/report';

/** Answers from the network first (fresh when online), kept for offline. */
const NETWORK_FIRST = [/^\/intelligence\/report$/, /^\/api\/v1\/intelligence\/form-data$/, /^\/api\/v1\/wards$/, /^\/api\/v1\/ward-sets\/[a-z0-9-]+\/geojson$/, /^\/manifest\.webmanifest$/];

function keep(res: Response): boolean {
  // Never keep a redirect (signed out → sign-in page) or an error in place of the page.
  return res.ok && !res.redirected && res.type === 'basic';
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // One by one: a signed-out visitor's page (a redirect) must not stop the rest from caching.
      await Promise.all(
        config.precache.map(async (url) => {
          try {
            const res = await fetch(url, { credentials: 'same-origin', cache: 'reload' });
            if (keep(res)) await cache.put(url, res);
          } catch {
            // Offline during install: the next visit fills the cache.
          }
        }),
      );
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

/** A weak signal ("lie-fi") must not leave the champion staring at a blank page: after this, the kept copy. */
const NETWORK_PATIENCE_MS = 4_000;

async function networkFirst(request: Request, key: string): Promise<Response> {
  const cache = await caches.open(CACHE);
  const fresh = fetch(request).then(async (res) => {
    if (keep(res)) await cache.put(key, res.clone());
    return res;
  });
  fresh.catch(() => undefined); // a refresh that fails after the cache answered is no error
  const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), NETWORK_PATIENCE_MS));
  try {
    const first = await Promise.race([fresh, late]);
    if (first !== 'late') return first;
    const cached = await cache.match(key);
    // Slow but not failed: the kept copy now; the answer still refreshes the cache when it comes.
    return cached ?? (await fresh);
  } catch {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw new Error('offline and not cached');
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const res = await fetch(request);
  if (keep(res)) await cache.put(request, res.clone());
  return res;
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (NETWORK_FIRST.some((re) => re.test(url.pathname))) {
    // The page in any language (?lang=) is kept under one key: the shell the champion last saw.
    const key = url.pathname === SHELL ? SHELL : url.pathname;
    event.respondWith(networkFirst(request, key));
    return;
  }
  if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request));
});

sw.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(
    (async () => {
      const db = await openOfflineDb();
      const token = await getMeta(db, 'csrf');
      const result = await runQueue(db, makeQueue(db, () => token), true);
      for (const client of await sw.clients.matchAll({ includeUncontrolled: true })) client.postMessage({ type: 'pm-queue-changed' });
      // Still waiting: throwing asks the browser to fire the sync again later (its own backoff).
      if (result && result.counts.waiting > 0 && result.retried.length > 0) throw new Error('items still waiting');
    })(),
  );
});
