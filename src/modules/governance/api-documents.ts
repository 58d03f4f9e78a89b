import type { Executor, Tx } from '../../db/connection.ts';
import type { DocumentKind } from './schema.ts';

/**
 * Documents as the rest of governance (motions) and other modules see them. CONTRACT STUBS
 * (issue 12 base): gov-core replaces the bodies, keeping the signatures.
 */

/**
 * Mark a draft version adopted by a carried motion (in the motion's transaction): the earlier
 * adopted version of the document becomes superseded. Refuses a version that is not a draft.
 */
export async function adoptVersion(_tx: Tx, _tenantId: string, _versionId: string, _by: { motionId: string; adoptedOn: string }): Promise<void> {
  throw new Error('adoptVersion: not built yet (issue 12)');
}

export interface VersionCard {
  id: string;
  documentId: string;
  kind: DocumentKind;
  title: string;
  version: number;
  status: 'draft' | 'adopted' | 'superseded';
  href: string;
}

/** One version (for a motion's "refers to" label), or null when not this tenant's. */
export async function versionCard(_db: Executor, _tenantId: string, _versionId: string): Promise<VersionCard | null> {
  return null;
}
