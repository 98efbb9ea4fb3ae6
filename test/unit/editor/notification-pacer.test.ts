import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotificationPacer } from '../../../src/editor/notification-pacer';
import type { PacerClock } from '../../../src/editor/notification-pacer';

/** A clock the test moves by hand; timers fire when it passes them. */
class FakeClock implements PacerClock {
  t = 1_000_000;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now = (): number => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.next++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  /** Moves time on, running each timer at its own time. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
  get pending(): number {
    return this.timers.length;
  }
}

function pacer(intervalMs = 30_000) {
  const clock = new FakeClock();
  const batches: string[][] = [];
  const p = new NotificationPacer<string>(() => intervalMs, (b) => batches.push(b), clock);
  return { clock, batches, p };
}

test('a second, different failure within the interval is queued, not dropped, and comes out when the interval ends', () => {
  const { clock, batches, p } = pacer();
  assert.equal(p.offer('db-locked', 'db-locked'), 'shown');
  clock.advance(20_000);
  assert.equal(p.offer('worktree', 'worktree'), 'queued');
  assert.deepEqual(batches, [['db-locked']]);
  clock.advance(9_999);
  assert.deepEqual(batches, [['db-locked']], 'still inside the interval');
  clock.advance(1);
  assert.deepEqual(batches, [['db-locked'], ['worktree']]);
});

test('failures that queue up during the interval come out together, as one batch', () => {
  const { clock, batches, p } = pacer();
  p.offer('a', 'a');
  clock.advance(1_000);
  p.offer('b', 'b');
  p.offer('c', 'c');
  assert.equal(p.queued, 2);
  clock.advance(29_000);
  assert.deepEqual(batches, [['a'], ['b', 'c']]);
  // The batch counts as a notification: the next failure waits a whole interval again.
  assert.equal(p.offer('d', 'd'), 'queued');
  clock.advance(30_000);
  assert.deepEqual(batches.at(-1), ['d']);
});

test('the same failure is announced once, whether shown or waiting; after the interval a new one shows at once', () => {
  const { clock, batches, p } = pacer();
  assert.equal(p.offer('a', 'a'), 'shown');
  assert.equal(p.offer('a', 'a'), 'duplicate');
  clock.advance(5_000);
  assert.equal(p.offer('b', 'b'), 'queued');
  assert.equal(p.offer('b', 'b'), 'duplicate');
  clock.advance(60_000);
  assert.equal(p.offer('c', 'c'), 'shown');
  assert.deepEqual(batches, [['a'], ['b'], ['c']]);
  // reset forgets what was shown, so "show dismissed notifications again" works.
  p.reset();
  clock.advance(60_000);
  assert.equal(p.offer('a', 'a'), 'shown');
});

test('dispose drops the queue and its timer', () => {
  const { clock, batches, p } = pacer();
  p.offer('a', 'a');
  p.offer('b', 'b');
  assert.equal(clock.pending, 1);
  p.dispose();
  assert.equal(clock.pending, 0);
  clock.advance(60_000);
  assert.deepEqual(batches, [['a']]);
});
