import type { Context } from 'hono';
import type { AppEnv } from '../../server/context.ts';
import { AppError, type FieldIssue } from '../../server/errors.ts';
import { ErrorSummary } from '../../ui/forms.tsx';
import type { Translate } from '../../ui/i18n/index.ts';

/** Shared bits of the governance pages. */
export const nowOf = (c: Context<AppEnv>) => new Date(c.get('deps').clock?.() ?? Date.now());

export async function formOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** An error a form page shows: the message (catalogue words) and the fields to fix. */
export function Problem({ t, problem }: { t: Translate; problem?: AppError | undefined }) {
  if (!problem) return null;
  return (
    <>
      {problem.key ? (
        <div class="error-summary" role="alert" id="problem">
          <p>{t(problem.key, problem.params)}</p>
        </div>
      ) : null}
      {problem.fields.length ? <ErrorSummary t={t} issues={problem.fields} /> : null}
    </>
  );
}

/** Run a service call; an AppError with a message for people comes back to be shown on the page. */
export async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: T } | { problem: AppError }> {
  try {
    return { ok: await fn() };
  } catch (err) {
    if (err instanceof AppError && (err.code === 'validation_failed' || err.code === 'conflict')) return { problem: err };
    throw err;
  }
}

export const issuesOf = (p?: AppError): FieldIssue[] => p?.fields ?? [];

export function statusOf(p?: AppError): 200 | 400 | 409 {
  if (!p) return 200;
  return p.code === 'conflict' ? 409 : 400;
}
