// The queue's HTTP side: one send per item against the phone's API (contract in report-queue.ts),
// shared by the page, the service worker (Background Sync) and the benchmark, so the benchmark
// measures the code the phones run.
import { ENDPOINTS, outcomeOf, requestBody, SYNC_ENDPOINT, type SendOutcome, type Transport } from './report-queue.ts';

export interface HttpTransportOptions {
  /** fetch (the browser's, or Node's in the benchmark). */
  fetch: typeof fetch;
  /** '' in the browser (same origin); the proxy's address in the benchmark. */
  baseUrl?: string;
  /** The page's CSRF token, when known (a cached page may carry a stale one: see below). */
  csrfToken?: () => string | undefined;
  /** Extra headers (the benchmark's session cookie). */
  headers?: Record<string, string>;
  /** Give up on one request after this many ms (it is then retried later). */
  timeoutMs?: number;
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function httpTransport(options: HttpTransportOptions): Transport {
  const base = options.baseUrl ?? '';
  const timeoutMs = options.timeoutMs ?? 20_000;
  const post = async (path: string, body: unknown, withToken: boolean): Promise<Response> => {
    const token = withToken ? options.csrfToken?.() : undefined;
    return options.fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(token ? { 'X-CSRF-Token': token } : {}), ...options.headers },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      signal: AbortSignal.timeout(timeoutMs),
    });
  };
  return {
    async send(item): Promise<SendOutcome> {
      const path = ENDPOINTS[item.kind];
      let res = await post(path, requestBody(item), true);
      let json = await readJson(res);
      // A page opened from the cache may hold the token of an older CSRF cookie. JSON with
      // Content-Type: application/json from our own origin needs no token (middleware/csrf.ts), so
      // try once more without it rather than refusing the report.
      if (res.status === 403 && (json as { error?: { code?: string } } | null)?.error?.code === 'csrf_failed') {
        res = await post(path, requestBody(item), false);
        json = await readJson(res);
      }
      return outcomeOf(res.status, json);
    },
    async reportSync(counts) {
      const res = await post(SYNC_ENDPOINT, counts, true);
      await res.text();
      if (res.status === 403) await (await post(SYNC_ENDPOINT, counts, false)).text();
    },
  };
}
