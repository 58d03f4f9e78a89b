import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  clientIdFrom,
  MemoryStorage,
  outcomeOf,
  QueueError,
  ReportQueue,
  requestBody,
  type QueueItem,
  type ReportBody,
  type SendOutcome,
  type Transport,
} from './report-queue.ts';

const REPORT: ReportBody = {
  categoryKey: 'housing',
  wardCode: 'E05016206',
  observedOn: '2026-11-30',
  observedText: 'Three families sharing one flat above the shops.',
  familiesEstimate: 3,
  since: 'this_month',
  source: 'seen',
};

/** A scripted server: answers each send from `script` (by client id), default accepted. */
function setUp(script: (item: QueueItem, attempt: number) => SendOutcome = () => ({ kind: 'accepted', status: 201, body: {} })) {
  let clock = Date.UTC(2026, 11, 1, 9, 0, 0);
  let ids = 0;
  const storage = new MemoryStorage();
  const sent: Array<{ clientId: string; body: Record<string, unknown> }> = [];
  const syncs: Array<{ waiting: number; refused: number }> = [];
  const attempts = new Map<string, number>();
  const transport: Transport = {
    async send(item) {
      const n = (attempts.get(item.clientId) ?? 0) + 1;
      attempts.set(item.clientId, n);
      sent.push({ clientId: item.clientId, body: requestBody(item) });
      return script(item, n);
    },
    async reportSync(counts) {
      syncs.push(counts);
    },
  };
  const queue = new ReportQueue({
    storage,
    transport,
    now: () => clock,
    random: () => 0.5,
    makeId: () => clientIdFrom(`0190f0a0-0000-7000-8000-${String((ids += 1)).padStart(12, '0')}`),
  });
  return { queue, storage, sent, syncs, advance: (ms: number) => (clock += ms), now: () => clock };
}

describe('the report queue', () => {
  it('gives each item a client id within the contract when first saved, and keeps several drafts', async () => {
    const { queue } = setUp();
    const a = await queue.saveDraft(REPORT);
    const b = await queue.saveDraft({ ...REPORT, categoryKey: 'isolation' });
    expect(a.clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(a.clientId).not.toBe(b.clientId);
    expect(a.state).toBe('draft');
    const edited = await queue.edit(a.clientId, { ...REPORT, familiesEstimate: 4 });
    expect(edited.clientId).toBe(a.clientId);
    expect((edited.body as ReportBody).familiesEstimate).toBe(4);
    expect(await queue.counts()).toEqual({ drafts: 2, waiting: 0, refused: 0 });
  });

  it('sends nothing that is still a draft; "Send" moves a draft into the queue', async () => {
    const { queue, sent } = setUp();
    const draft = await queue.saveDraft(REPORT);
    await queue.sync({ force: true });
    expect(sent).toEqual([]);
    await queue.send(draft.clientId);
    expect(await queue.counts()).toEqual({ drafts: 0, waiting: 1, refused: 0 });
    const result = await queue.sync();
    expect(sent.map((s) => s.clientId)).toEqual([draft.clientId]);
    expect(sent[0]?.body).toEqual({ clientId: draft.clientId, ...REPORT });
    expect(result.accepted).toHaveLength(1);
    expect(await queue.list()).toEqual([]);
  });

  it('keeps an item until the server confirms it, retrying with growing delays (jittered)', async () => {
    const { queue, sent, advance } = setUp((_item, n) => (n < 4 ? { kind: 'retry', reason: 'offline' } : { kind: 'accepted', status: 201, body: { id: 'x' } }));
    const item = await queue.queueReport(REPORT);
    const delays: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      await queue.sync();
      const [stored] = await queue.list();
      expect(stored?.state).toBe('waiting');
      expect(stored?.attempts).toBe(i + 1);
      const due = (await queue.nextDueAt())!;
      delays.push(due - (Date.UTC(2026, 11, 1, 9, 0, 0) + delays.reduce((a, b) => a + b, 0)));
      // Not due yet: nothing is sent before its time.
      const before = sent.length;
      await queue.sync();
      expect(sent.length).toBe(before);
      advance(delays[i]!);
    }
    expect(delays).toEqual([1500, 3000, 6000]);
    await queue.sync();
    expect(sent.filter((s) => s.clientId === item.clientId)).toHaveLength(4);
    expect(await queue.list()).toEqual([]);
  });

  it('backoff is exponential, capped, and never below half the step', () => {
    const b = { baseMs: 1000, capMs: 8000 };
    expect([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, 0, b))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 0.999999, b))).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('a forced round (online event) sends waiting items even before their retry time', async () => {
    const { queue, sent } = setUp((_i, n) => (n === 1 ? { kind: 'retry', reason: 'offline' } : { kind: 'accepted', status: 200, body: {} }));
    await queue.queueReport(REPORT);
    await queue.sync();
    await queue.sync();
    expect(sent).toHaveLength(1);
    await queue.sync({ force: true });
    expect(sent).toHaveLength(2);
    expect(await queue.list()).toEqual([]);
  });

  it('nothing expires by age: an item waits a year and still goes', async () => {
    const { queue, advance } = setUp((_i, n) => (n < 50 ? { kind: 'retry', reason: 'offline' } : { kind: 'accepted', status: 201, body: {} }));
    await queue.queueReport(REPORT);
    for (let i = 0; i < 49; i += 1) {
      await queue.sync({ force: true });
      advance(7 * 24 * 3600_000);
    }
    expect(await queue.counts()).toEqual({ drafts: 0, waiting: 1, refused: 0 });
    await queue.sync();
    expect(await queue.counts()).toEqual({ drafts: 0, waiting: 0, refused: 0 });
  });

  it('a 409 keeps the item, marked conflict with the server message; "send as new" sends it under a new id', async () => {
    const { queue, sent } = setUp((item) =>
      sent.length === 1 ? { kind: 'conflict', refusal: { code: 'conflict', message: 'That id was used for other content.', status: 409 } } : { kind: 'accepted', status: 201, body: { clientId: item.clientId } },
    );
    const item = await queue.queueReport(REPORT);
    const round = await queue.sync();
    expect(round.conflicts).toHaveLength(1);
    const [kept] = await queue.list();
    expect(kept).toMatchObject({ clientId: item.clientId, state: 'conflict', reason: { code: 'conflict', message: 'That id was used for other content.' } });
    // Kept: not retried by later rounds, not editable in place.
    await queue.sync({ force: true });
    expect(sent).toHaveLength(1);
    await expect(queue.edit(item.clientId, REPORT)).rejects.toBeInstanceOf(QueueError);
    const fresh = await queue.sendAsNew(item.clientId);
    expect(fresh.clientId).not.toBe(item.clientId);
    await queue.sync();
    expect(sent.map((s) => s.clientId)).toEqual([item.clientId, fresh.clientId]);
    expect(await queue.list()).toEqual([]);
  });

  it('400 and 422 mark the item refused with the reason; the champion edits or confirms and it goes', async () => {
    const { queue, sent } = setUp((item) => {
      const body = item.body as ReportBody;
      if (body.wardCode === '') return { kind: 'refused', refusal: { code: 'validation_failed', message: 'Choose a ward.', fields: [{ field: 'wardCode' }], status: 400 } };
      if (!body.confirmNoPersonalDetails) return { kind: 'refused', refusal: { code: 'personal_details', message: '', fields: ['phone'], status: 422 } };
      return { kind: 'accepted', status: 201, body: {} };
    });
    const a = await queue.queueReport({ ...REPORT, wardCode: '' });
    const b = await queue.queueReport({ ...REPORT, observedText: 'Call 07700 900123' });
    const round = await queue.sync();
    expect(round.refused.map((i) => i.reason?.code)).toEqual(['validation_failed', 'personal_details']);
    expect(await queue.counts()).toEqual({ drafts: 0, waiting: 0, refused: 2 });
    // Refused items are not retried on their own.
    await queue.sync({ force: true });
    expect(sent).toHaveLength(2);
    // Fixing keeps the id (the server never stored it).
    const fixed = await queue.edit(a.clientId, { ...REPORT, confirmNoPersonalDetails: true });
    expect(fixed).toMatchObject({ clientId: a.clientId, state: 'draft' });
    expect(fixed.reason).toBeUndefined();
    await queue.send(a.clientId);
    await queue.confirmNoPersonalDetails(b.clientId);
    await queue.sync();
    expect(sent.slice(2).map((s) => [s.clientId, s.body.confirmNoPersonalDetails])).toEqual([
      [a.clientId, true],
      [b.clientId, true],
    ]);
    expect(await queue.list()).toEqual([]);
  });

  it('waiting items cannot be edited or discarded; drafts and refused ones can be discarded', async () => {
    const { queue } = setUp(() => ({ kind: 'retry', reason: 'offline' }));
    const waiting = await queue.queueReport(REPORT);
    const draft = await queue.saveDraft(REPORT);
    await expect(queue.edit(waiting.clientId, REPORT)).rejects.toBeInstanceOf(QueueError);
    await expect(queue.discard(waiting.clientId)).rejects.toBeInstanceOf(QueueError);
    await queue.discard(draft.clientId);
    expect((await queue.list()).map((i) => i.clientId)).toEqual([waiting.clientId]);
  });

  it('a concern is queued at once (never a draft) and sent to its own endpoint kind', async () => {
    const { queue, sent } = setUp();
    const concern = await queue.queueConcern({ observedText: 'A small child alone at night.' });
    expect(concern).toMatchObject({ kind: 'concern', state: 'waiting' });
    await queue.sync();
    expect(sent[0]?.body).toEqual({ clientId: concern.clientId, observedText: 'A small child alone at night.' });
  });

  it('a thrown transport error (no network) keeps the item waiting', async () => {
    const { queue } = setUp(() => {
      throw new TypeError('Failed to fetch');
    });
    await queue.queueReport(REPORT);
    await queue.sync();
    const [item] = await queue.list();
    expect(item).toMatchObject({ state: 'waiting', attempts: 1, lastError: 'Failed to fetch' });
  });

  it('after each round it reports { waiting, refused } to the server', async () => {
    const { queue, syncs } = setUp((item) =>
      (item.body as ReportBody).categoryKey === 'bad' ? { kind: 'refused', refusal: { code: 'validation_failed', message: '', status: 400 } } : { kind: 'retry', reason: 'offline' },
    );
    await queue.queueReport(REPORT);
    await queue.queueReport({ ...REPORT, categoryKey: 'bad' });
    await queue.saveDraft(REPORT);
    await queue.sync();
    expect(syncs).toEqual([{ waiting: 1, refused: 1 }]);
    // A round with nothing due still tells the server the phone is alive and what it holds.
    await queue.sync();
    expect(syncs).toEqual([{ waiting: 1, refused: 1 }, { waiting: 1, refused: 1 }]);
  });

  it('one round at a time: concurrent calls share the running round (no double send)', async () => {
    const { queue, sent } = setUp();
    await queue.queueReport(REPORT);
    await queue.queueReport(REPORT);
    await Promise.all([queue.sync(), queue.sync(), queue.sync({ force: true })]);
    expect(sent).toHaveLength(2);
  });

  it('401 stops the round and keeps everything waiting (sign in again, nothing lost)', async () => {
    const { queue, sent } = setUp(() => outcomeOf(401, { error: { code: 'unauthenticated', message: 'Sign in.' } }));
    await queue.queueReport(REPORT);
    await queue.queueReport(REPORT);
    await queue.queueReport(REPORT);
    await queue.sync();
    expect(sent.length).toBeLessThan(3);
    expect(await queue.counts()).toEqual({ drafts: 0, waiting: 3, refused: 0 });
  });
});

describe('outcomeOf (HTTP answer → queue)', () => {
  it('maps the contract', () => {
    expect(outcomeOf(201, { id: 'a', clientId: 'b', status: 'received' }).kind).toBe('accepted');
    expect(outcomeOf(200, {}).kind).toBe('accepted');
    expect(outcomeOf(409, { error: { code: 'conflict', message: 'Other content.' } })).toEqual({ kind: 'conflict', refusal: { code: 'conflict', message: 'Other content.', status: 409 } });
    expect(outcomeOf(422, { error: { code: 'personal_details', fields: ['phone'] } })).toEqual({ kind: 'refused', refusal: { code: 'personal_details', message: '', fields: ['phone'], status: 422 } });
    expect(outcomeOf(400, { error: { code: 'validation_failed', message: 'Check the form.' } }).kind).toBe('refused');
    expect(outcomeOf(403, { error: { code: 'forbidden', message: 'No.' } }).kind).toBe('refused');
    for (const status of [404, 408, 429, 500, 502, 503]) expect(outcomeOf(status, null).kind).toBe('retry');
  });
});
