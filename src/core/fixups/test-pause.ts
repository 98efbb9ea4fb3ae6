// Test hook: a deterministic pause between two steps of a change, so race and crash tests can
// stop a real process at an exact point (holding the lock, before the journal commit, ...) and let
// it go on when they choose. Off unless LIFELINE_TEST_PAUSE_DIR is set; LIFELINE_TEST_PAUSE_AT
// names the steps (comma-separated). The n-th time a process reaches such a step it writes
// `<dir>/<pid>.<step>.<n>.reached` and waits for `<dir>/<pid>.<step>.<n>.go` (files, so it works
// across processes on every platform).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type PauseStep = 'lock-temp-written' | 'locked' | 'before-replace' | 'intent-written' | 'changed' | 'undo-intent-written';

const LIMIT_MS = 60_000;
const seen = new Map<string, number>();

export async function testPause(step: PauseStep): Promise<void> {
  const dir = process.env.LIFELINE_TEST_PAUSE_DIR;
  if (!dir) return;
  const steps = (process.env.LIFELINE_TEST_PAUSE_AT ?? '').split(',').map((s) => s.trim());
  if (!steps.includes(step)) return;
  const n = (seen.get(step) ?? 0) + 1;
  seen.set(step, n);
  const stem = join(dir, `${process.pid}.${step}.${n}`);
  writeFileSync(`${stem}.reached`, '');
  const until = Date.now() + LIMIT_MS;
  while (!existsSync(`${stem}.go`)) {
    if (Date.now() > until) throw new Error(`test pause at ${step}: nobody released it within ${LIMIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
