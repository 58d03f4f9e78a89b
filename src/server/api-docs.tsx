import type { Context } from 'hono';
import { Layout } from '../ui/layout.tsx';
import { viewOf } from '../ui/view.ts';
import type { AppEnv } from './context.ts';

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

type OpenApiDoc = { paths?: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> } };

/** A readable, accessible API reference (schemas folded away, so a phone shows the operations first) rendered from the OpenAPI document (no external scripts). */
export function renderApiDocs(c: Context<AppEnv>, doc: OpenApiDoc) {
  const view = viewOf(c);
  const { t } = view;
  const paths = Object.entries(doc.paths ?? {});
  return c.html(
    <Layout view={view} title={t('api.docs.title')}>
      <h1>{t('api.docs.title')}</h1>
      <p class="lead">{t('api.docs.lead', { url: '/api/openapi.json' })}</p>
      <p>
        <a href="/api/openapi.json">/api/openapi.json</a>
      </p>
      {paths.map(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => (
          <section class="api-op" aria-labelledby={`op-${method}-${path.replace(/[^a-z0-9]/gi, '-')}`}>
            <h2 id={`op-${method}-${path.replace(/[^a-z0-9]/gi, '-')}`}>
              <span class="method">{method.toUpperCase()}</span> <code>{path}</code>
            </h2>
            <p>{op.summary}</p>
            {op.parameters?.length ? (
              <>
                <h3>{t('api.docs.params')}</h3>
                <ul>
                  {op.parameters.map((p) => (
                    <li>
                      <code>{p.name}</code> ({p.in}
                      {p.required ? `, ${t('api.docs.required')}` : ''}){p.description ? `: ${p.description}` : ''}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {op.requestBody?.content ? (
              <>
                <h3>{t('api.docs.request')}</h3>
                <details>
                  <summary>{t('api.docs.showSchema')}</summary>
                  <pre class="schema" tabindex={0}>{JSON.stringify(Object.values(op.requestBody.content)[0]?.schema, null, 2)}</pre>
                </details>
              </>
            ) : null}
            <h3>{t('api.docs.responses')}</h3>
            <ul>
              {Object.entries(op.responses ?? {}).map(([status, r]) => (
                <li>
                  <code>{status}</code> {r.description}
                </li>
              ))}
            </ul>
          </section>
        )),
      )}
      <h2>{t('api.docs.schemas')}</h2>
      {Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => (
        <section aria-labelledby={`schema-${name}`}>
          <h3 id={`schema-${name}`}>{name}</h3>
          <details>
            <summary>{t('api.docs.showSchema')}</summary>
            <pre class="schema" tabindex={0}>{JSON.stringify(schema, null, 2)}</pre>
          </details>
        </section>
      ))}
    </Layout>,
  );
}
