// Issue 10's acceptance: the worktree-corruption playbook walked to its end in the browser, on the demo's
// crashed orchestration, choosing answers as a user would and confirming each fix-up; the disk
// (git, python3's sqlite3) is asked after each one, the end's "what is left" must be what
// `lifeline diagnose --json` finds. Screenshots: test-results/e2e/walk-worktree-corruption-*.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launch } from '../support/workbench';
import { assertLeftMatchesDiagnosis, assertReadable, git, openFromPalette, ready, walk } from '../support/walk';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('walk: worktree corruption — the broken worktree is looked at, pruned and repaired; git agrees', async () => {
  await walk(browser, 'worktree', async (page, root) => {
    await ready(page);
    assert.match(git(root, 'worktree', 'list', '--porcelain'), /agent-3-ws-27[\s\S]*?prunable/);
    const g = await openFromPalette(page, 'Git worktree corruption');
    await g.at(/Prune worktree entries/);
    await g.shot('prune-preview');
    await assertReadable(g);
    await g.expectPreview('irreversible');
    await g.run();
    assert.doesNotMatch(git(root, 'worktree', 'list', '--porcelain'), /agent-3-ws-27/, 'git: pruned');
    await g.at(/Repair worktree metadata/);
    await g.expectPreview('irreversible');
    await g.shot('repair-preview');
    await g.run();
    await g.at(/Check the worktree list/);
    await g.done();
    await g.at(/Worktrees consistent/);
    await g.shot('end');
    assert.doesNotMatch(git(root, 'worktree', 'list', '--porcelain'), /prunable/);
    await assertLeftMatchesDiagnosis(g, root);
    await assertReadable(g);
  });
});
