// An HTTP proxy on 127.0.0.1 that loses a share of requests, both ways a phone's connection does:
// half of the losses before the server sees the request (the socket is cut at once), half after the
// server handled it (the answer is thrown away and the socket cut), so the client must retry work
// the server already did. Seeded: the same seed loses the same requests.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LossyProxy {
  url: string;
  stats: { requests: number; droppedBefore: number; droppedAfter: number; passed: number };
  close(): Promise<void>;
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function startLossyProxy(target: string, options: { dropRate: number; seed: number; hostHeader?: string }): Promise<LossyProxy> {
  const upstream = new URL(target);
  const random = seeded(options.seed);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const stats = { requests: 0, droppedBefore: 0, droppedAfter: 0, passed: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    stats.requests += 1;
    const r = random();
    if (r < options.dropRate / 2) {
      stats.droppedBefore += 1;
      req.socket.destroy();
      return;
    }
    const dropAfter = r < options.dropRate;
    const headers = { ...req.headers, host: options.hostHeader ?? upstream.host };
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        if (dropAfter) {
          // The server has done the work; the phone never hears about it.
          stats.droppedAfter += 1;
          req.socket.destroy();
          return;
        }
        stats.passed += 1;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.end(Buffer.concat(chunks));
      });
    });
    out.on('error', () => req.socket.destroy());
    req.pipe(out);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        stats,
        close: () =>
          new Promise<void>((r) => {
            agent.destroy();
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
