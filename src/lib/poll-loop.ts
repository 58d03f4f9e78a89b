/**
 * A background loop for outbox workers: runs `drain` one interval after start, then again at once
 * while it reports a full batch, otherwise after the interval. A failed drain is reported and the
 * loop goes on (a database blip must not stop it). Drains never overlap; timers never keep a
 * process (CLI, tests) alive.
 */
export interface PollLoop {
  /** Stop scheduling and wait for a drain in progress to finish. */
  stop(): Promise<void>;
}

export function startPollLoop(opts: { drain: () => Promise<number>; batch: number; intervalMs: number; onError: (err: unknown) => void }): PollLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function tick(): Promise<void> {
    let full = false;
    try {
      full = (await opts.drain()) >= opts.batch;
    } catch (err) {
      opts.onError(err);
    }
    if (!stopped) schedule(full ? 0 : opts.intervalMs);
  }

  function schedule(ms: number): void {
    timer = setTimeout(() => {
      running = tick();
    }, ms);
    timer.unref();
  }

  // The first drain waits one interval, so start-up (migrations, seeding) is not slowed down.
  schedule(opts.intervalMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
