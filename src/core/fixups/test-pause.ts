// Test hook: a deterministic pause between two steps of a change, so race and crash tests can
// stop a real process at an exact point (holding the lock, before the journal commit, ...) and let
// it go on when they choose. Off unless LIFELINE_TEST_PAUSE_DIR is set; LIFELINE_TEST_PAUSE_AT
// names the steps (comma-separated). At such a step the process writes `<dir>/<pid>.<step>.reached`
// and waits for `<dir>/<pid>.<step>.go` (a file, so it works across processes on every platform).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type PauseStep = 'lock-temp-written' | 'locked' | 'before-replace' | 'intent-written' | 'changed' | 'undo-intent-written';

const LIMIT_MS = 60_000;

export async function testPause(step: PauseStep): Promise<void> {
  const dir = process.env.LIFELINE_TEST_PAUSE_DIR;
  if (!dir) return;
  const steps = (process.env.LIFELINE_TEST_PAUSE_AT ?? '').split(',').map((s) => s.trim());
  if (!steps.includes(step)) return;
  const stem = join(dir, `${process.pid}.${step}`);
  writeFileSync(`${stem}.reached`, '');
  const until = Date.now() + LIMIT_MS;
  while (!existsSync(`${stem}.go`)) {
    if (Date.now() > until) throw new Error(`test pause at ${step}: nobody released it within ${LIMIT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
