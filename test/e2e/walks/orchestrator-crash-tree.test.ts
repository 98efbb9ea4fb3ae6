// Issue 10's acceptance: the orchestrator-crash-tree playbook walked to its end in the browser, on the demo's
// crashed orchestration, choosing answers as a user would and confirming each fix-up; the disk
// (git, python3's sqlite3) is asked after each one, the end's "what is left" must be what
// `lifeline diagnose --json` finds. Screenshots: test-results/e2e/walk-orchestrator-crash-tree-*.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launch } from '../support/workbench';
import { assertLeftMatchesDiagnosis, assertReadable, git, openFromTree, row, walk } from '../support/walk';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('walk: orchestrator crashed, from the Stuck Workstreams view on ws-27 — the failed workstream keeps its message, the guide ends honestly', async () => {
  await walk(browser, 'orch-tree', async (page, root) => {
    const g = await openFromTree(page, 'ws-27', 'orch-tree');
    await g.at(/See which workstreams were running/);
    await g.shot('start');
    await assertReadable(g);
    await g.done();
    await g.at(/Read what the agent changed on ws\/ws-27\/agent-3/);
    assert.ok((await g.commands()).includes('git log ws/ws-27/agent-3 --oneline -5'));
    await g.done();
    await g.at(/Do ws-27's changes look correct/);
    await g.choose(/No, discard this attempt/);
    // Already failed: the guide does not offer to mark it failed again (that would overwrite its message).
    await g.at(/Is another workstream still waiting|Look at the agent worktrees/);
    assert.match((await g.mapLine(/Is ws-27 already marked failed/).textContent()) ?? '', /yes/);
    await g.shot('after-discard');
    if (/still waiting/.test(await g.title())) {
      assert.match((await g.current.textContent()) ?? '', /ws-15/, 'the next one is ws-15, not ws-27 again');
      await g.answer(false);
    }
    await g.at(/Look at the agent worktrees that are left/);
    await g.done();
    await g.at(/Prune worktree entries/);
    await g.run();
    assert.doesNotMatch(git(root, 'worktree', 'list', '--porcelain'), /agent-3-ws-27/);
    await g.at(/Manual alternative/);
    await g.skip();
    await g.at(/Check the ground, then resume/);
    await g.done();
    await g.at(/Orchestrator resumed/);
    await g.shot('end');
    const r = row(root, 'ws-27');
    assert.equal(r.status, 'failed');
    assert.equal(r.error_message, 'Agent process exited with code 137 (out of memory)');
    await assertLeftMatchesDiagnosis(g, root);
    await assertReadable(g);
  });
});
