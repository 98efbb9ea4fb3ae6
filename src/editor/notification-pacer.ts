// Paces failure notifications: each failure (fingerprint) is announced once; a different failure
// arriving within the interval after the last notification is not dropped but queued, and the
// queue comes out as one batch when the interval is over ("2 failures noticed"). No `vscode`
// import: the clock and timers are injected, so the pacing is unit-tested on its own.

export interface PacerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: PacerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export type Offer = 'shown' | 'queued' | 'duplicate';

export class NotificationPacer<T> {
  private readonly seen = new Set<string>();
  private queue: { key: string; item: T }[] = [];
  private last = Number.NEGATIVE_INFINITY;
  private timer: unknown;

  constructor(
    /** The interval, read at every offer (the setting may change). */
    private readonly intervalMs: () => number,
    /** Shows one item, or the batch that queued up during the interval. */
    private readonly emit: (batch: T[]) => void,
    private readonly clock: PacerClock = systemClock,
  ) {}

  /** A failure was recorded: show it now, queue it behind the interval, or ignore a repeat. */
  offer(key: string, item: T): Offer {
    if (this.seen.has(key)) return 'duplicate';
    this.seen.add(key);
    const wait = this.last + this.intervalMs() - this.clock.now();
    if (wait <= 0 && this.queue.length === 0) {
      this.last = this.clock.now();
      this.emit([item]);
      return 'shown';
    }
    this.queue.push({ key, item });
    this.timer ??= this.clock.setTimeout(() => this.flush(), Math.max(wait, 0));
    return 'queued';
  }

  /** Forgets what was announced (the user asked to see dismissed notifications again). */
  reset(): void {
    this.seen.clear();
    for (const q of this.queue) this.seen.add(q.key);
  }

  /** How many failures wait for the interval to end. */
  get queued(): number {
    return this.queue.length;
  }

  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  private flush(): void {
    this.timer = undefined;
    const batch = this.queue.map((q) => q.item);
    this.queue = [];
    if (!batch.length) return;
    this.last = this.clock.now();
    this.emit(batch);
  }
}
