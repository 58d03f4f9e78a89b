import type { Deps } from '../../server/context.ts';
import type { ScheduledJob } from '../manifest.ts';
import { countClosedElections } from './service.ts';

/** Count every election whose voting has closed (idempotent; a row lock keeps two processes from counting twice). */
export const electionsJobs: readonly ScheduledJob[] = [{ name: 'elections-count', run: (deps: Deps, now: Date) => countClosedElections(deps.database.db, now) }];
