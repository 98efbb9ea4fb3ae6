// Issue 10's acceptance: the orchestrator-crash-palette playbook walked to its end in the browser, on the demo's
// crashed orchestration, choosing answers as a user would and confirming each fix-up; the disk
// (git, python3's sqlite3) is asked after each one, the end's "what is left" must be what
// `lifeline diagnose --json` finds. Screenshots: test-results/e2e/walk-orchestrator-crash-palette-*.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launch } from '../support/workbench';
import { assertLeftMatchesDiagnosis, assertReadable, git, gitOk, openFromPalette, ready, row, walk } from '../support/walk';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('walk: orchestrator crashed, from the palette — each workstream settled, leftovers pruned, the end says what is left', async () => {
  await walk(browser, 'orch-palette', async (page, root) => {
    await ready(page);
    // The palette asks which workstream; ws-15 is chosen there.
    const g = await openFromPalette(page, 'Orchestrator crashed mid-run', 'ws-15');

    await g.at(/See which workstreams were running/);
    await g.done();
    // The check answered itself about ws-15, with what it saw; the next step's commands are filled in.
    await g.at(/Read what the agent changed on ws\/ws-15\/agent-2/);
    const cmds = await g.commands();
    assert.ok(cmds.includes('git log ws/ws-15/agent-2 --oneline -5'), `commands: ${JSON.stringify(cmds)}`);
    assert.match((await g.mapLine(/Does ws-15's branch have commits main lacks/).textContent()) ?? '', /yes: 1 commit ahead of main on ws\/ws-15\/agent-2, last \d+ min ago/);
    await g.shot('inspect-branch');
    await assertReadable(g);
    await g.done();

    await g.at(/Do ws-15's changes look correct/);
    await g.shot('keep-question');
    await g.choose(/Yes, merge them into main/);
    await g.at(/Merge ws\/ws-15\/agent-2 into main/);
    await g.expectPreview('reversible');
    await g.shot('merge-preview');
    assert.ok(!gitOk(root, 'merge-base', '--is-ancestor', 'ws/ws-15/agent-2', 'main'), 'nothing merged before the user confirms');
    await g.run();
    assert.ok(gitOk(root, 'merge-base', '--is-ancestor', 'ws/ws-15/agent-2', 'main'), 'git: ws-15 is merged into main');

    await g.at(/Record ws-15 as completed/);
    await g.expectPreview('reversible');
    await g.run();
    assert.equal(row(root, 'ws-15').status, 'completed', 'python3: ws-15 is completed');

    // Its worktree still holds the agent's uncommitted edits: removing it would throw them away,
    // so a user keeps it and moves on.
    await g.at(/Remove ws-15's worktree/);
    await g.shot('remove-worktree');
    await g.skip();
    assert.ok(existsSync(join(root, '.worktrees', 'agent-2-ws-15', 'tests', 'api', 'test_routes.py')), 'the uncommitted work is still there');

    // Picked alone, ws-15 is settled; the guide says ws-27 is still waiting and asks.
    await g.at(/Is another workstream still waiting/);
    assert.match((await g.current.textContent()) ?? '', /ws-27/);
    await g.shot('next-one');
    await g.answer(true);
    await g.at(/Read what the agent changed on ws\/ws-27\/agent-3/);
    await g.done();
    await g.at(/Do ws-27's changes look correct/);
    await g.choose(/No, discard this attempt/);
    // ws-27 is already failed with its own message, which stays; its worktree is gone.
    await g.at(/Is another workstream still waiting|Look at the agent worktrees/);
    if (/still waiting/.test(await g.title())) await g.answer(false);
    assert.equal(row(root, 'ws-27').error_message, 'Agent process exited with code 137 (out of memory)', 'ws-27 keeps its error message');

    await g.at(/Look at the agent worktrees that are left/);
    await g.done();
    await g.at(/Prune worktree entries/);
    await g.expectPreview('irreversible');
    await g.shot('prune-preview');
    await g.run();
    assert.doesNotMatch(git(root, 'worktree', 'list', '--porcelain'), /agent-3-ws-27/, 'git: the prunable worktree is gone');
    assert.match(git(root, 'branch', '--list', 'ws/ws-27/agent-3'), /ws-27/, 'its branch stays');

    await g.at(/Manual alternative/);
    await g.shot('manual-cleanup');
    await g.skip();
    await g.at(/Check the ground, then resume/);
    await g.done();
    await g.at(/Orchestrator resumed/);
    await g.shot('end');
    await assertReadable(g);
    await assertLeftMatchesDiagnosis(g, root);
    // ws-15's worktree still holds its edits: the end does not claim everything is settled.
    assert.doesNotMatch((await g.current.locator('[role="status"]').first().textContent()) ?? '', /^Resolved/);
  });
});
