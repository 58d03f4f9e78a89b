// STAND-IN for e2e/intelligence-offline.test.ts ONLY (never imported from src/): the report page and
// the four phone API routes as the contract describes them, mounted on the real app (createApp's
// `extend`) so the offline app can be driven in Chromium before intel-field's server side is merged.
// The test uses it only while the real GET /api/v1/intelligence/form-data answers 404.
import type { Context, Hono } from 'hono';
import { createHash, randomUUID } from 'node:crypto';
import type { AppEnv } from '../src/server/context.ts';
import { CsrfField } from '../src/ui/forms.tsx';
import { Layout } from '../src/ui/layout.tsx';
import { viewOf } from '../src/ui/view.ts';

export interface StandInRows {
  reports: Map<string, { hash: string; body: Record<string, unknown>; inserts: number }>;
  concerns: Map<string, { hash: string; body: Record<string, unknown>; inserts: number }>;
  syncs: Array<{ waiting: number; refused: number }>;
}

export function standInRoutes(rows: StandInRows) {
  return (app: Hono<AppEnv>) => {
    app.get('/intelligence/report', (c) => {
      const view = viewOf(c);
      return c.html(
        <Layout view={view} title="Report (stand-in)">
          <h1>Report (stand-in)</h1>
          <form method="post" action="/intelligence/report">
            <CsrfField token={view.csrfToken} />
            <p>The no-JS form is intel-field's: this stand-in only gives the offline app a page to take over.</p>
            <button type="submit" class="button">Send</button>
          </form>
        </Layout>,
      );
    });
    app.get('/api/v1/intelligence/form-data', (c) =>
      c.json({
        categories: [
          { key: 'housing', title: 'Housing and overcrowding', titlePl: 'Mieszkania i przeludnienie' },
          { key: 'isolation', title: 'Isolation', titlePl: 'Samotność' },
        ],
        wards: [
          { code: 'E05016206', name: 'Corby West' },
          { code: 'E05016199', name: 'Corby Rural' },
        ],
      }),
    );
    const filing = (store: StandInRows['reports'], answer: (id: string, clientId: string) => Record<string, unknown>) => async (c: Context<AppEnv>) => {
      if (!c.get('actor')) return c.json({ error: { code: 'unauthenticated', message: 'Sign in.' } }, 401);
      const body = (await c.req.json()) as Record<string, unknown>;
      const clientId = String(body.clientId ?? '');
      if (!/^[A-Za-z0-9_-]{8,64}$/.test(clientId)) return c.json({ error: { code: 'validation_failed', message: 'Bad clientId.' } }, 400);
      // Like the real findPersonalDetails, in small: a UK mobile number in the text, not confirmed → 422.
      if (/\b07\d{3} ?\d{6}\b/.test(String(body.observedText ?? '')) && body.confirmNoPersonalDetails !== true && store === rows.reports) {
        return c.json({ error: { code: 'personal_details', message: 'The text may contain personal details.', fields: ['phone'] } }, 422);
      }
      const { clientId: _c, ...content } = body;
      const hash = createHash('sha256').update(JSON.stringify(Object.entries(content).sort())).digest('hex');
      const row = store.get(clientId);
      if (row) return row.hash === hash ? c.json(answer(clientId, clientId), 200) : c.json({ error: { code: 'conflict', message: 'Other content under this id.' } }, 409);
      store.set(clientId, { hash, body, inserts: 1 });
      return c.json(answer(randomUUID(), clientId), 201);
    };
    app.post('/api/v1/intelligence/reports', filing(rows.reports, (id, clientId) => ({ id, clientId, status: 'received' })));
    app.post('/api/v1/intelligence/concerns', filing(rows.concerns, (id, clientId) => ({ id, clientId, frontDoor: { name: 'Children’s Front Door', phone: '0300 126 1000' } })));
    app.post('/api/v1/intelligence/sync', async (c) => {
      rows.syncs.push((await c.req.json()) as { waiting: number; refused: number });
      return c.body(null, 204);
    });
  };
}
