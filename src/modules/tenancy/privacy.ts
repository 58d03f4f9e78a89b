import type { Catalogue } from '../../db/privacy.ts';

/** Privacy tags of the tenancy module's tables (SECURITY.md 13). Tenants, their hosts, areas and wards: nothing personal. */
export const tenancyData = {
  tenants: { personal: {}, other: ['id', 'slug', 'name', 'is_default', 'default_locale', 'contact_email', 'contact_address', 'seed_version', 'created_at'] },
  tenant_hosts: { personal: {}, other: ['host', 'tenant_id'] },
  areas: { personal: {}, other: ['tenant_id', 'id', 'name', 'current_ward_set_id', 'created_at'] },
  ward_sets: { personal: {}, other: ['tenant_id', 'id', 'area_id', 'key', 'name', 'valid_from', 'valid_to', 'source', 'created_at'] },
  wards: { personal: {}, other: ['tenant_id', 'id', 'ward_set_id', 'code', 'name', 'geometry', 'population', 'children_under_5', 'facts', 'sort_order'] },
} satisfies Catalogue;
