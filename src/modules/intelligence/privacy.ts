import type { Catalogue } from '../../db/privacy.ts';

// BASE (issue 10): the server helper refines purposes and retention; every column is classified here.
const filing = 'know what street champions see, to target provision (issue 10)';
const safeguarding = 'protect a child who may be at risk (safeguarding leads only)';

export const intelligenceData = {
  intel_settings: { personal: {}, other: ['tenant_id', 'text_retention_months', 'front_door_phone', 'front_door_name', 'updated_at'] },
  intel_categories: { personal: {}, other: ['tenant_id', 'id', 'key', 'title', 'title_pl', 'description', 'description_pl', 'active', 'sort_order', 'created_at'] },
  intel_reports: {
    personal: {
      reporter_id: { purpose: filing, lawfulBasis: 'legitimate interests', retention: 'cleared on the champion’s erasure (the report stays, unattributed)' },
      observed_text: { purpose: filing, lawfulBasis: 'legitimate interests', retention: 'stripped after the tenant’s retention period (default 24 months); champions are asked not to name anyone' },
      point_lon: { purpose: filing, lawfulBasis: 'legitimate interests', retention: 'rounded to about 100 m; as the report' },
      point_lat: { purpose: filing, lawfulBasis: 'legitimate interests', retention: 'rounded to about 100 m; as the report' },
    },
    other: ['tenant_id', 'id', 'client_id', 'content_hash', 'category_id', 'ward_id', 'observed_on', 'families_estimate', 'since', 'source', 'status', 'merged_into', 'is_demo', 'received_at', 'updated_at', 'text_stripped_at'],
  },
  intel_report_notes: {
    personal: { body: { purpose: filing, lawfulBasis: 'legitimate interests', retention: 'as the report’s free text' } },
    other: ['tenant_id', 'id', 'report_id', 'author_id', 'created_at'],
  },
  intel_report_links: { personal: {}, other: ['tenant_id', 'id', 'report_id', 'kind', 'target_id', 'label', 'url', 'created_by', 'created_at'] },
  intel_sync_status: { personal: {}, other: ['tenant_id', 'member_id', 'last_sync_at', 'waiting_count', 'refused_count'] },
  safeguarding_concerns: {
    personal: {
      observed_text: { purpose: safeguarding, lawfulBasis: 'legal obligation', retention: 'as the safeguarding policy requires; never in counts or exports', special: true },
      reporter_id: { purpose: safeguarding, lawfulBasis: 'legal obligation', retention: 'as observed_text' },
      handling_note: { purpose: safeguarding, lawfulBasis: 'legal obligation', retention: 'as observed_text', special: true },
    },
    other: ['tenant_id', 'id', 'client_id', 'content_hash', 'ward_id', 'status', 'handled_by', 'handled_at', 'is_demo', 'received_at'],
  },
} satisfies Catalogue;
