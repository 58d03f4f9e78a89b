// One way to build and run the phone's queue, for the page and the service worker alike: IndexedDB
// storage, the HTTP transport, and a Web Lock so that the page, another tab and the worker never run
// a round at the same time (each would be safe, the server being idempotent, but twice the traffic).
import { IdbStorage, setMeta } from './offline-store.ts';
import { httpTransport } from './offline-transport.ts';
import { clientIdFrom, ReportQueue, type SyncResult } from './report-queue.ts';

export const SYNC_TAG = 'pm-report-queue';
const LOCK = 'pm-report-queue';

function newId(): string {
  if (typeof crypto.randomUUID === 'function') return clientIdFrom(crypto.randomUUID());
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function makeQueue(db: IDBDatabase, csrfToken: () => string | undefined): ReportQueue {
  return new ReportQueue({
    storage: new IdbStorage(db),
    transport: httpTransport({ fetch: (input, init) => fetch(input, init), csrfToken }),
    now: () => Date.now(),
    random: Math.random,
    makeId: newId,
  });
}

/** One round under the lock; answers undefined when another context holds it (it is sending already). */
export async function runQueue(db: IDBDatabase, queue: ReportQueue, force: boolean): Promise<SyncResult | undefined> {
  const run = async () => {
    const result = await queue.sync({ force });
    for (const { item, body } of result.accepted) {
      const frontDoor = body.frontDoor as { name?: unknown; phone?: unknown } | undefined;
      if (item.kind === 'concern' && frontDoor && typeof frontDoor.name === 'string' && typeof frontDoor.phone === 'string') {
        await setMeta(db, 'frontDoor', { name: frontDoor.name, phone: frontDoor.phone });
      }
    }
    return result;
  };
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return run();
  return locks.request(LOCK, { ifAvailable: true }, async (lock) => (lock ? run() : undefined));
}
