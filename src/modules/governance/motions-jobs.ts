import type { ScheduledJob } from '../manifest.ts';
import { closeDueMotions } from './ballot.ts';

/** Every five minutes: close the secret online ballots past their closing time and record the results (idempotent, SKIP LOCKED). */
export const motionsJobs: readonly ScheduledJob[] = [
  {
    name: 'governance-close-motions',
    run: (deps, now) => closeDueMotions(deps.database.db, now, { onError: (err, motionId) => deps.logger.error({ err, motionId }, 'closing a motion failed') }),
  },
];
