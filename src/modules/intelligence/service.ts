import type { Deps } from '../../server/context.ts';

/**
 * The field side of intelligence (issue 10): filing (filing.ts), safeguarding concerns
 * (safeguarding.ts), triage, sync status, settings and taxonomy (triage.ts). Each service checks the
 * actor's permission itself, opens its transaction and writes its audit rows.
 */
export { fileReport, PersonalDetailsFound, ReportRequest, ConcernRequest } from './filing.ts';
export { fileConcern, listConcerns, openConcern, handleConcern } from './safeguarding.ts';
export { addActionLink, addNote, mergeReport, recordSync, saveCategory, saveSettings, setStatus, stripOldText } from './triage.ts';

/** The request's clock: the injected one in tests (`deps.clock`), else the wall clock. */
export function nowOf(deps: Pick<Deps, 'clock'>): Date {
  return new Date(deps.clock?.() ?? Date.now());
}
