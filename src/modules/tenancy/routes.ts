import { createRoute, z } from '@hono/zod-openapi';
import { secured } from '../../server/access.ts';
import type { ApiApp } from '../../server/api.ts';
import { ErrorResponse } from '../../server/api.ts';
import { areaOverview, findWard, pickWardSet, wardsGeoJson, wardsOf, wardsWithBoundaries, wardUrl } from './views.ts';

const WardSetSummary = z
  .object({
    key: z.string().openapi({ example: 'corby-2015' }),
    name: z.string(),
    validFrom: z.string().nullable(),
    validTo: z.string().nullable(),
    current: z.boolean(),
  })
  .openapi('WardSetSummary');

const TenantInfo = z
  .object({ name: z.string(), slug: z.string(), area: z.string(), wardSets: z.array(WardSetSummary) })
  .openapi('TenantInfo');

const WardInfo = z
  .object({
    code: z.string().openapi({ example: 'E05010264' }),
    name: z.string().openapi({ example: 'Beanfield' }),
    population: z.number().int().nullable(),
    childrenUnder5: z.number().int().nullable(),
    facts: z.record(z.string(), z.union([z.number(), z.string()])),
    url: z.string(),
  })
  .openapi('Ward');

const WardList = z.object({ wardSet: WardSetSummary, wards: z.array(WardInfo) }).openapi('WardList');

const WardGeoJson = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        properties: z.object({ code: z.string(), name: z.string(), url: z.string() }),
        geometry: z.union([
          z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.array(z.number()))) }),
          z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.array(z.number())))) }),
        ]).nullable(),
      }),
    ),
  })
  .openapi('WardGeoJson');

const SetQuery = z.object({
  set: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a ward set key is lower-case letters, digits and dashes')
    .optional()
    .openapi({ description: 'Ward set key; the current set when omitted', example: 'nn-2025' }),
});

const notFound = { description: 'Not found', content: { 'application/json': { schema: ErrorResponse } } };

export function registerTenancyApi(api: ApiApp): void {
  api.openapi(
    secured('public', createRoute({
      method: 'get',
      path: '/api/v1/tenant',
      tags: ['Area'],
      summary: 'The mutual answering on this host, its area and ward sets',
      responses: { 200: { description: 'Tenant', content: { 'application/json': { schema: TenantInfo } } } },
    })),
    async (c) => {
      const tenant = c.get('tenant');
      const overview = await areaOverview(c.get('deps').database.db, tenant);
      return c.json(
        {
          name: tenant.name,
          slug: tenant.slug,
          area: overview.areaName,
          wardSets: overview.sets.map((s) => ({ key: s.key, name: s.name, validFrom: s.validFrom, validTo: s.validTo, current: s.current })),
        },
        200,
      );
    },
  );

  api.openapi(
    secured('public', createRoute({
      method: 'get',
      path: '/api/v1/wards',
      tags: ['Area'],
      summary: 'Wards of a ward set with their facts',
      request: { query: SetQuery },
      responses: { 200: { description: 'Wards', content: { 'application/json': { schema: WardList } } }, 404: notFound },
    })),
    async (c) => {
      const { set: key } = c.req.valid('query');
      const db = c.get('deps').database.db;
      const tenant = c.get('tenant');
      const set = pickWardSet(await areaOverview(db, tenant), key);
      const current = set.current;
      const list = await wardsOf(db, tenant, set);
      return c.json(
        {
          wardSet: { key: set.key, name: set.name, validFrom: set.validFrom, validTo: set.validTo, current },
          wards: list.map((w) => ({
            code: w.code,
            name: w.name,
            population: w.population,
            childrenUnder5: w.childrenUnder5,
            facts: w.facts,
            url: wardUrl(set, w, current),
          })),
        },
        200,
      );
    },
  );

  api.openapi(
    secured('public', createRoute({
      method: 'get',
      path: '/api/v1/wards/{code}',
      tags: ['Area'],
      summary: 'One ward and its facts',
      request: {
        params: z.object({ code: z.string().min(1).max(40).openapi({ example: 'E05010264' }) }),
        query: SetQuery,
      },
      responses: { 200: { description: 'Ward', content: { 'application/json': { schema: WardInfo } } }, 404: notFound },
    })),
    async (c) => {
      const { code } = c.req.valid('param');
      const { set: key } = c.req.valid('query');
      const db = c.get('deps').database.db;
      const tenant = c.get('tenant');
      const set = pickWardSet(await areaOverview(db, tenant), key);
      const ward = await findWard(db, tenant, set, code);
      const current = set.current;
      return c.json(
        {
          code: ward.code,
          name: ward.name,
          population: ward.population,
          childrenUnder5: ward.childrenUnder5,
          facts: ward.facts,
          url: wardUrl(set, ward, current),
        },
        200,
      );
    },
  );

  api.openapi(
    secured('public', createRoute({
      method: 'get',
      path: '/api/v1/ward-sets/{key}/geojson',
      tags: ['Area'],
      summary: 'Ward boundaries of a ward set as GeoJSON (WGS84)',
      request: { params: z.object({ key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/).openapi({ example: 'corby-2015' }) }) },
      responses: {
        200: { description: 'GeoJSON FeatureCollection', content: { 'application/json': { schema: WardGeoJson } } },
        404: notFound,
      },
    })),
    async (c) => {
      const { key } = c.req.valid('param');
      const db = c.get('deps').database.db;
      const tenant = c.get('tenant');
      const set = pickWardSet(await areaOverview(db, tenant), key);
      const body = wardsGeoJson(set, await wardsWithBoundaries(db, tenant, set), set.current);
      c.header('Cache-Control', 'public, max-age=300');
      return c.json(body, 200);
    },
  );
}
