import { dataOf, type ModuleManifest } from '../manifest.ts';
import { registerTenancyPages } from './pages.tsx';
import { registerTenancyApi } from './routes.ts';
import { tenancyData } from './privacy.ts';
import * as schema from './schema.ts';

/** Tenants, areas, ward sets and wards; the public home, about, wards and privacy pages. */
export const tenancyModule = {
  name: 'tenancy',
  pages: (pages) => registerTenancyPages(pages),
  api: (api) => registerTenancyApi(api),
  nav: [
    { href: '/', key: 'nav.home', access: 'public', order: 10 },
    { href: '/wards', key: 'nav.wards', access: 'public', order: 20 },
    { href: '/about', key: 'nav.about', access: 'public', order: 40 },
  ],
  data: dataOf(schema, tenancyData),
} satisfies ModuleManifest;
