/**
 * The crash test's child (contracts.test.ts): approve one payment as the given member. With
 * CRASH_HANG=1 it stops inside the approval's transaction, after every write and before the
 * commit, and prints "approval written" so the test can kill -9 it there; otherwise it prints
 * "approved replayed=<bool>" and exits. Run with `node --import tsx`; DATA_DIR or DATABASE_URL.
 */
import { openDatabase } from '../../db/connection.ts';
import type { Actor } from '../membership/policy.ts';
import { memberRolesOf } from '../membership/views.ts';
import { approvePayment } from './contracts.ts';

const env = (k: string) => process.env[k] ?? '';
const database = await openDatabase(process.env.DATABASE_URL ? { url: env('DATABASE_URL'), poolSize: 1 } : { dataDir: env('DATA_DIR') });
const tenantId = env('TENANT');
const actor: Actor = { tenantId, memberId: env('APPROVER'), roles: new Set(['member', ...(await memberRolesOf(database.db, tenantId, env('APPROVER')))]), sessionId: 'crash-test' };
const result = await approvePayment(database.db, actor, env('CONTRACT'), env('PAYMENT'), { idempotencyKey: env('KEY') }, {
  beforeCommit: async () => {
    if (process.env.CRASH_HANG !== '1') return;
    process.stdout.write('approval written\n');
    // Keep the process alive (PGlite holds no handle of its own) until the test kills it.
    await new Promise(() => setInterval(() => undefined, 1000));
  },
});
process.stdout.write(`approved replayed=${result.replayed}\n`);
await database.close();
