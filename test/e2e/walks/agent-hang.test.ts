// Issue 10's acceptance: the agent-hang playbook walked to its end in the browser, on the demo's
// crashed orchestration, choosing answers as a user would and confirming each fix-up; the disk
// (git, python3's sqlite3) is asked after each one, the end's "what is left" must be what
// `lifeline diagnose --json` finds. Screenshots: test-results/e2e/walk-agent-hang-*.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startHungAgent } from '../../../scripts/demo/workspace.mjs';
import { launch } from '../support/workbench';
import { assertLeftMatchesDiagnosis, assertReadable, demo, git, openFromPalette, ready, row, walk } from '../support/walk';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('walk: agent hung — the agent is stopped, its work discarded as listed, the workstream queued for a retry; undo of mark-failed restores the row', async () => {
  const root = demo();
  let agent: ChildProcess | undefined = startHungAgent(root);
  try {
    await walk(
      browser,
      'agent-hang',
      async (page) => {
        await ready(page);
        // Only ws-15 is running: the guide is about it without asking.
        const g = await openFromPalette(page, 'Agent hung (running for over an hour)');
        await g.at(/Find the agent process/);
        await g.shot('find-process');
        await assertReadable(g);
        await g.done();
        await g.at(/See what the agent left/);
        await g.done();
        await g.at(/worth keeping/);
        assert.match((await g.mapLine(/uncommitted changes/).textContent()) ?? '', /yes/);
        await g.choose(/No, throw it away/);
        await g.at(/Stop the hung agent/);
        await g.shot('stop-agent');
        await g.done();
        // It still runs: the guide says so and sends the user back to stop it.
        await g.at(/Stop the hung agent/);
        assert.match((await g.mapLine(/Is the agent process still running/).textContent()) ?? '', /yes: pid \d+ in \.worktrees\/agent-2-ws-15/, 'the check names the process it saw');
        await g.shot('still-running');
        agent!.kill('SIGKILL'); // what the user does in a terminal
        await new Promise((r) => agent!.once('exit', r));
        agent = undefined;
        await g.done();

        await g.at(/Remove the agent's worktree/);
        await g.expectPreview('destructive');
        await g.shot('remove-preview');
        await g.run({ discard: true });
        assert.ok(!existsSync(join(root, '.worktrees', 'agent-2-ws-15')), 'the worktree folder is gone');
        assert.doesNotMatch(git(root, 'worktree', 'list', '--porcelain'), /agent-2-ws-15/, 'git no longer lists it');

        await g.at(/Delete the workstream branch/);
        await g.shot('delete-branch-preview');
        await g.run();
        assert.equal(git(root, 'branch', '--list', 'ws/ws-15/agent-2').trim(), '', 'git: the branch is deleted');

        await g.at(/Mark the workstream failed/);
        await g.expectPreview('reversible');
        await g.run();
        assert.equal(row(root, 'ws-15').status, 'failed', 'python3: ws-15 is failed');

        // Undo puts the row back and the guide back at that fix-up.
        await g.undo(/failed/);
        assert.equal(row(root, 'ws-15').status, 'running', 'python3: undo restored ws-15 to running');
        await g.at(/Mark the workstream failed/);
        await g.shot('after-undo');
        await g.run();
        assert.equal(row(root, 'ws-15').status, 'failed');

        await g.at(/Resume the orchestrator/);
        await g.done();
        await g.at(/queued for a retry/);
        await g.shot('end');
        await assertLeftMatchesDiagnosis(g, root);
        // ws-15 failed is what this guide meant (the orchestrator retries failed workstreams): said as its outcome, not as a problem left.
        const intended = (await g.current.locator('ul.remaining.intended li').allTextContents()).map((t) => t.trim());
        assert.equal(intended.length, 1, intended.join(' | '));
        assert.match(intended[0]!, /^ws-15 failed/);
        assert.equal(await g.current.locator('ul.remaining.mine li').count(), 0, 'nothing about ws-15 is listed as left to do');
        await assertReadable(g);
      },
      root,
    );
  } finally {
    agent?.kill('SIGKILL');
  }
});
