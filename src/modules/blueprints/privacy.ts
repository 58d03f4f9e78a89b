import type { Catalogue } from '../../db/privacy.ts';

const authors = 'know who changed a blueprint (accountability of the service map)';
const comments = 'hear how parents lived a service, stage by stage, to improve it (issue 11)';

export const blueprintsData = {
  bp_blueprints: {
    personal: { created_by: { purpose: authors, lawfulBasis: 'legitimate interests', retention: 'as the blueprint; cleared on the author’s erasure' } },
    other: ['tenant_id', 'id', 'service_id', 'kind', 'title', 'pairs_with', 'content', 'version', 'is_demo', 'created_at', 'updated_at'],
  },
  bp_versions: {
    personal: { author_id: { purpose: authors, lawfulBasis: 'legitimate interests', retention: 'as the version; cleared on the author’s erasure' } },
    other: ['tenant_id', 'blueprint_id', 'version', 'title', 'content', 'change', 'created_at'],
  },
  bp_comments: {
    personal: {
      member_id: { purpose: comments, lawfulBasis: 'consent', retention: 'until the member deletes it or is erased' },
      body: { purpose: comments, lawfulBasis: 'consent', retention: 'until the member deletes it or is erased' },
      hidden_by: { purpose: 'moderation accountability', lawfulBasis: 'legitimate interests', retention: 'as the comment; cleared on the moderator’s erasure' },
    },
    other: ['tenant_id', 'id', 'blueprint_id', 'stage_id', 'lane_id', 'hidden_at', 'is_demo', 'created_at'],
  },
} satisfies Catalogue;
