import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { secured } from '../../server/access.ts';
import { ErrorResponse, type ApiApp } from '../../server/api.ts';
import type { AppEnv } from '../../server/context.ts';
import { AppError } from '../../server/errors.ts';
import { organizationListItem, orukDirectory, page, serviceListItem } from './oruk-export.ts';

/**
 * The Open Referral UK API (the UK profile's openapi.json paths, under /api/v1/openreferral/):
 * public, read-only, the tenant's whole service directory. Organizations are served too (the
 * profile's compiled organization schemas), though the profile's openapi.json lists none.
 */

const BASE = '/api/v1/openreferral';
const Record_ = z.record(z.string(), z.unknown());
const Page = (name: string) =>
  z
    .object({
      total_items: z.number().int(),
      total_pages: z.number().int(),
      page_number: z.number().int(),
      size: z.number().int(),
      first_page: z.boolean(),
      last_page: z.boolean(),
      empty: z.boolean(),
      contents: z.array(Record_),
    })
    .openapi(name);
const Paging = z.object({
  page: z.string().optional().openapi({ description: 'Page number, from 1', example: '1' }),
  per_page: z.string().optional().openapi({ description: 'Items per page, 1–200 (default 50)', example: '50' }),
});
const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '01936f0e-0000-7000-8000-000000000000' }) });
const notFound = { description: 'No such record in this directory', content: { 'application/json': { schema: ErrorResponse } } };
const json = (name: string, description: string) => ({ description, content: { 'application/json': { schema: Record_.openapi(name) } } });

const paging = (q: { page?: string | undefined; per_page?: string | undefined }) => {
  const n = Number.parseInt(q.page ?? '1', 10);
  const per = Number.parseInt(q.per_page ?? '50', 10);
  return { n: Number.isInteger(n) && n >= 1 ? n : 1, per: Number.isInteger(per) && per >= 1 ? per : 50 };
};

const directory = (c: Context<AppEnv>) => orukDirectory(c.get('deps').database.db, c.get('tenant'));
const missing = (what: string) => new AppError('not_found', `There is no ${what} with that id in this directory.`);

export function registerOrukApi(api: ApiApp): void {
  api.openapi(
    secured('public', createRoute({ method: 'get', path: `${BASE}/services`, tags: ['Open Referral UK'], summary: 'Services (paged; the profile’s service_list items)', request: { query: Paging }, responses: { 200: { description: 'A page of services', content: { 'application/json': { schema: Page('OrukServicePage') } } } } })),
    async (c) => {
      const { n, per } = paging(c.req.valid('query'));
      return c.json(page((await directory(c)).services.map(serviceListItem), n, per), 200);
    },
  );
  api.openapi(
    secured('public', createRoute({ method: 'get', path: `${BASE}/services/{id}`, tags: ['Open Referral UK'], summary: 'One service in full (schedules, areas, locations, funding, contacts, taxonomy)', request: { params: IdParam }, responses: { 200: json('OrukService', 'A full service'), 404: notFound } })),
    async (c) => {
      const { id } = c.req.valid('param');
      const s = (await directory(c)).services.find((x) => x.id === id);
      if (!s) throw missing('service');
      return c.json(s, 200);
    },
  );
  api.openapi(
    secured('public', createRoute({ method: 'get', path: `${BASE}/organizations`, tags: ['Open Referral UK'], summary: 'Organizations (paged)', request: { query: Paging }, responses: { 200: { description: 'A page of organizations', content: { 'application/json': { schema: Page('OrukOrganizationPage') } } } } })),
    async (c) => {
      const { n, per } = paging(c.req.valid('query'));
      return c.json(page((await directory(c)).organizations.map(organizationListItem), n, per), 200);
    },
  );
  api.openapi(
    secured('public', createRoute({ method: 'get', path: `${BASE}/organizations/{id}`, tags: ['Open Referral UK'], summary: 'One organization with its services', request: { params: IdParam }, responses: { 200: json('OrukOrganization', 'A full organization'), 404: notFound } })),
    async (c) => {
      const { id } = c.req.valid('param');
      const o = (await directory(c)).organizations.find((x) => x.id === id);
      if (!o) throw missing('organization');
      return c.json(o, 200);
    },
  );
  api.openapi(
    secured('public', createRoute({ method: 'get', path: `${BASE}/taxonomies`, tags: ['Open Referral UK'], summary: 'Taxonomies (the mutual’s service categories, paged)', request: { query: Paging }, responses: { 200: { description: 'A page of taxonomies', content: { 'application/json': { schema: Page('OrukTaxonomyPage') } } } } })),
    async (c) => {
      const { n, per } = paging(c.req.valid('query'));
      return c.json(page([(await directory(c)).taxonomy], n, per), 200);
    },
  );
  api.openapi(
    secured('public', createRoute({ method: 'get', path: `${BASE}/taxonomies/{id}`, tags: ['Open Referral UK'], summary: 'One taxonomy', request: { params: IdParam }, responses: { 200: json('OrukTaxonomy', 'A taxonomy'), 404: notFound } })),
    async (c) => {
      const { id } = c.req.valid('param');
      const d = await directory(c);
      if (d.taxonomy.id !== id) throw missing('taxonomy');
      return c.json(d.taxonomy, 200);
    },
  );
  api.openapi(
    secured('public', createRoute({ method: 'get', path: `${BASE}/taxonomy_terms`, tags: ['Open Referral UK'], summary: 'Taxonomy terms (paged)', request: { query: Paging }, responses: { 200: { description: 'A page of taxonomy terms', content: { 'application/json': { schema: Page('OrukTaxonomyTermPage') } } } } })),
    async (c) => {
      const { n, per } = paging(c.req.valid('query'));
      return c.json(page((await directory(c)).terms, n, per), 200);
    },
  );
  api.openapi(
    secured('public', createRoute({ method: 'get', path: `${BASE}/taxonomy_terms/{id}`, tags: ['Open Referral UK'], summary: 'One taxonomy term', request: { params: IdParam }, responses: { 200: json('OrukTaxonomyTerm', 'A taxonomy term'), 404: notFound } })),
    async (c) => {
      const { id } = c.req.valid('param');
      const term = (await directory(c)).terms.find((x) => x.id === id);
      if (!term) throw missing('taxonomy term');
      return c.json(term, 200);
    },
  );
}
