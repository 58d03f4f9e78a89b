/**
 * The real app in a child process, plus one test route, for crash tests: with CRASH_HANG=1 the
 * route hangs after the request was accepted (so the test can kill -9 it mid-request); without,
 * it answers. Run with `node --import tsx src/test/crash-server.ts`; prints "ready at <url>".
 */
import { serve } from '@hono/node-server';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { prepare } from '../server/start.ts';

const deps = await prepare(loadConfig());
let calls = 0;
const app = createApp(deps, {
  extend: (a) =>
    a.post('/api/v1/test-crash', async (c) => {
      calls += 1;
      const body = (await c.req.json()) as { n: number };
      if (process.env.CRASH_HANG === '1') {
        process.stdout.write('handler running\n');
        await new Promise(() => undefined);
      }
      return c.json({ call: calls, pid: process.pid, n: body.n }, 201);
    }),
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`ready at http://127.0.0.1:${info.port}\n`);
});
server.once('error', (err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
