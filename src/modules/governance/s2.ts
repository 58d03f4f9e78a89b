import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { currentTerms } from './board.ts';
import { adoptedKinds } from './documents.ts';
import { CORE_POLICIES, govDocuments, type DocumentKind } from './schema.ts';
import { governanceSettings } from './settings.ts';

/** METRICS.md S2 (governance in place): met when every item is. Each item says what is missing and where to fix it. */
export type S2ItemKey = 'rules' | 'board' | DocumentKind | 'registered';

export interface S2Item {
  key: S2ItemKey;
  met: boolean;
  /** When met: e.g. the adoption date or the registration number. */
  detail: string | null;
  /** Where to see it (public) or fix it (board / admin). */
  href: string;
  fixHref: string;
}

export interface S2Checklist {
  on: string;
  met: boolean;
  /** Demo records count towards it (the page says so). */
  includesDemo: boolean;
  items: S2Item[];
}

export async function governanceChecklist(db: Executor, tenantId: string, on: string): Promise<S2Checklist> {
  const adopted = await adoptedKinds(db, tenantId, on);
  const settings = await governanceSettings(db, tenantId);
  const elected = (await currentTerms(db, tenantId, on)).filter((t) => t.seatKind === 'elected_parent' && t.source === 'election');
  const doc = (kind: DocumentKind): S2Item => {
    const a = adopted.get(kind);
    return { key: kind, met: !!a, detail: a?.adoptedOn ?? null, href: a ? `/governance/documents/${a.slug}` : '/governance/documents', fixHref: a ? `/governance/documents/${a.slug}` : '/governance/documents' };
  };
  const items: S2Item[] = [
    doc('rules'),
    { key: 'board', met: elected.length > 0, detail: elected.length ? String(elected.length) : null, href: '/governance/board', fixHref: '/governance/board/manage' },
    ...CORE_POLICIES.map(doc),
    { key: 'registered', met: settings.registrationNumber.trim() !== '', detail: settings.registrationNumber.trim() || null, href: '/governance', fixHref: '/governance/settings' },
  ];
  const [demoDoc] = await db.select({ id: govDocuments.id }).from(govDocuments).where(and(eq(govDocuments.tenantId, tenantId), eq(govDocuments.isDemo, true))).limit(1);
  const includesDemo = !!demoDoc || elected.some((t) => t.isDemo);
  return { on, met: items.every((i) => i.met), includesDemo, items };
}
