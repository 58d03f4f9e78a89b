import type { Catalogue } from '../../db/privacy.ts';

// BASE (issue 11): the helpers refine purposes and retention; every column is classified here.
const staff = 'let partner staff edit their own organisation’s services (issue 11)';
const families = 'count distinct and newly engaging families across providers without names (METRICS.md M2, M3)';

export const resourcesData = {
  res_settings: { personal: {}, other: ['tenant_id', 'family_key_secret', 'family_key_version', 'marginal_families_per_1000', 'marginal_evidence_at_most', 'updated_at'] },
  res_categories: { personal: {}, other: ['tenant_id', 'id', 'key', 'title', 'title_pl', 'oruk_term_id', 'active', 'sort_order', 'created_at'] },
  // An organisation's public contact details, not a person's.
  res_providers: { personal: {}, other: ['tenant_id', 'id', 'ref', 'name', 'kind', 'description', 'website', 'email', 'phone', 'is_demo', 'created_at', 'updated_at'] },
  res_provider_staff: {
    personal: {
      member_id: { purpose: staff, lawfulBasis: 'legitimate interests', retention: 'until removed, or the member’s erasure' },
      added_by: { purpose: staff, lawfulBasis: 'legitimate interests', retention: 'as the row; cleared on the adder’s erasure' },
    },
    other: ['tenant_id', 'provider_id', 'added_at'],
  },
  res_services: { personal: {}, other: ['tenant_id', 'id', 'provider_id', 'ref', 'name', 'name_pl', 'description', 'description_pl', 'category_id', 'tier', 'target_group', 'venue_name', 'venue_address', 'venue_postcode', 'capacity', 'evidence', 'evidence_source', 'status', 'email', 'phone', 'url', 'is_demo', 'created_at', 'updated_at'] },
  res_service_wards: { personal: {}, other: ['tenant_id', 'service_id', 'ward_id'] },
  res_service_schedules: { personal: {}, other: ['tenant_id', 'id', 'service_id', 'weekday', 'opens_at', 'closes_at', 'frequency', 'term_time_only'] },
  res_spend: { personal: {}, other: ['tenant_id', 'id', 'service_id', 'period_start', 'period_end', 'kind', 'amount_pence', 'funding_source', 'is_demo', 'updated_at'] },
  res_delivery: { personal: {}, other: ['tenant_id', 'id', 'service_id', 'period_start', 'period_end', 'sessions', 'is_demo', 'updated_at'] },
  res_reach: { personal: {}, other: ['tenant_id', 'id', 'service_id', 'period_start', 'period_end', 'ward_id', 'attendances', 'families', 'is_demo', 'updated_at'] },
  res_family_contacts: {
    personal: {
      // Pseudonymised (UK GDPR recital 26): the provider holds the reference, we hold only the keyed hash.
      family_key: { purpose: families, lawfulBasis: 'public task', retention: 'contacts older than 3 years are deleted (the counts they fed stay in the reports)' },
    },
    other: ['tenant_id', 'service_id', 'key_version', 'contact_on', 'ward_id', 'is_demo'],
  },
  res_imports: {
    personal: { imported_by: { purpose: 'know who imported what (accountability)', lawfulBasis: 'legitimate interests', retention: 'as the row; cleared on the importer’s erasure' } },
    other: ['tenant_id', 'id', 'kind', 'file_name', 'file_sha256', 'rows_read', 'rows_added', 'rows_changed', 'rows_unchanged', 'imported_at'],
  },
  res_scenarios: {
    personal: { created_by: { purpose: 'know who drew up a scenario', lawfulBasis: 'legitimate interests', retention: 'as the scenario; cleared on the author’s erasure' } },
    other: ['tenant_id', 'id', 'name', 'description', 'period_start', 'period_end', 'is_demo', 'created_at', 'updated_at'],
  },
  res_scenario_changes: { personal: {}, other: ['tenant_id', 'id', 'scenario_id', 'service_id', 'change_percent', 'add_pence', 'families_per_1000', 'note'] },
} satisfies Catalogue;
