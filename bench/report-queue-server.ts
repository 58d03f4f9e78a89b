// STAND-IN, for the benchmark and the offline helper's own checks ONLY (never imported from src/):
// an in-process imitation of the four intelligence routes the phone uses, as the contract in
// docs/ARCHITECTURE.md ("intelligence") and src/client/report-queue.ts describes them. The real
// routes are src/modules/intelligence/routes.ts (intel-field); bench/report-queue.ts runs against
// those too when the app serves them.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInStore {
  /** Rows by client id, as a real server would store them. */
  rows: Map<string, { id: string; hash: string; kind: 'report' | 'concern'; body: Record<string, unknown> }>;
  /** How many times a row was inserted for each client id (must be 1 each). */
  inserts: Map<string, number>;
  /** Requests that reached the handler (dropped-after ones included). */
  handled: number;
  syncs: Array<{ waiting: number; refused: number }>;
}

export interface StandIn {
  url: string;
  store: StandInStore;
  close(): Promise<void>;
}

const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

function canonicalHash(body: Record<string, unknown>): string {
  const { clientId: _ignored, ...content } = body;
  const sorted = Object.fromEntries(Object.entries(content).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function startStandIn(): Promise<StandIn> {
  const store: StandInStore = { rows: new Map(), inserts: new Map(), handled: 0, syncs: [] };
  const server: Server = createServer((req, res) => {
    void (async () => {
      store.handled += 1;
      const url = new URL(req.url ?? '/', 'http://stand-in');
      if (req.method === 'GET' && url.pathname === '/api/v1/intelligence/form-data') {
        return send(res, 200, { categories: [{ key: 'housing', title: 'Housing and overcrowding', titlePl: 'Mieszkania i przeludnienie' }], wards: [{ code: 'E05016206', name: 'Corby West' }] });
      }
      if (req.method !== 'POST') return send(res, 404, { error: { code: 'not_found', message: 'No such route.' } });
      const body = await readBody(req);
      if (!body) return send(res, 400, { error: { code: 'invalid_json', message: 'Send JSON.' } });
      if (url.pathname === '/api/v1/intelligence/sync') {
        store.syncs.push({ waiting: Number(body.waiting), refused: Number(body.refused) });
        res.writeHead(204).end();
        return;
      }
      const kind: 'report' | 'concern' | undefined = url.pathname === '/api/v1/intelligence/reports' ? 'report' : url.pathname === '/api/v1/intelligence/concerns' ? 'concern' : undefined;
      if (!kind) return send(res, 404, { error: { code: 'not_found', message: 'No such route.' } });
      const clientId = typeof body.clientId === 'string' ? body.clientId : '';
      if (!CLIENT_ID.test(clientId)) return send(res, 400, { error: { code: 'validation_failed', message: 'clientId is 8–64 letters, digits, - or _.', fields: [{ field: 'clientId' }] } });
      const hash = canonicalHash(body);
      const existing = store.rows.get(clientId);
      const answer = (row: { id: string }) => (kind === 'report' ? { id: row.id, clientId, status: 'received' } : { id: row.id, clientId, frontDoor: { name: 'Children’s social care', phone: '0300 126 1000' } });
      if (existing) {
        if (existing.hash !== hash || existing.kind !== kind) return send(res, 409, { error: { code: 'conflict', message: 'This id was already used for a different report.' } });
        return send(res, 200, answer(existing));
      }
      const row = { id: randomUUID(), hash, kind, body };
      store.rows.set(clientId, row);
      store.inserts.set(clientId, (store.inserts.get(clientId) ?? 0) + 1);
      return send(res, 201, answer(row));
    })().catch(() => send(res, 500, { error: { code: 'internal', message: 'Stand-in failed.' } }));
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        store,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
