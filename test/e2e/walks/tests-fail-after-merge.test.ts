// Issue 10's acceptance: the tests-fail-after-merge playbook walked to its end in the browser, on the demo's
// crashed orchestration, choosing answers as a user would and confirming each fix-up; the disk
// (git, python3's sqlite3) is asked after each one, the end's "what is left" must be what
// `lifeline diagnose --json` finds. Screenshots: test-results/e2e/walk-tests-fail-after-merge-*.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

test('walk: tests fail after a merge — the breaking merge is found and reverted, the workstream marked reverted; undo of the mark restores the row', async () => {
  await walk(browser, 'tests-merge', async (page, root) => {
    await ready(page);
    const mergeSha = git(root, 'rev-parse', 'main').trim();
    const g = await openFromPalette(page, 'Tests fail after a merge');
    await g.at(/Run the whole suite/);
    await g.shot('run-suite');
    await assertReadable(g);
    await g.done();
    await g.at(/Test the recent merges/);
    // The search needs the command that runs the failing test: asked for in the guide, not in CLI syntax.
    await g.shot('find-culprit-needs-command');
    await g.provide('test-command', 'python3 -m pytest tests/engine/test_executor.py::test_retry_logic');
    await g.expectPreview('read-only');
    await g.shot('find-culprit-preview');
    await g.run();
    await g.at(/Was the merge that broke the tests identified/);
    assert.match((await g.frame.locator('ol.actions').textContent()) ?? '', new RegExp(`First bad merge: ${mergeSha.slice(0, 7)} Merge ws/ws-08/agent-1`));
    await g.shot('culprit');
    await g.choose(/Yes, revert it/);
    await g.at(/Revert the bad merge/);
    await g.expectPreview('reversible');
    assert.match((await g.current.textContent()) ?? '', new RegExp(`revert -m 1 --no-edit --end-of-options ${mergeSha}`), 'it reverts the merge the search named');
    await g.shot('revert-preview');
    await g.run();
    const executor = readFileSync(join(root, 'src', 'engine', 'executor.py'), 'utf8');
    assert.match(executor, /range\(1, self\.max_attempts \+ 1\)/, 'the merge is reverted on disk');
    assert.ok(gitOk(root, 'merge-base', '--is-ancestor', mergeSha, 'main'), 'history is kept: a revert, not a reset');
    assert.match(git(root, 'log', '-1', '--format=%s', 'main'), /Revert/);

    await g.at(/Mark the workstream reverted/);
    await g.shot('mark-reverted');
    await g.run();
    assert.equal(row(root, 'ws-08').status, 'reverted', 'python3: ws-08 is reverted');
    await g.undo(/reverted/);
    assert.equal(row(root, 'ws-08').status, 'completed', 'python3: undo restored ws-08');
    await g.at(/Mark the workstream reverted/);
    await g.run();
    assert.equal(row(root, 'ws-08').status, 'reverted');

    await g.at(/Confirm main is green/);
    await g.done();
    await g.at(/How should the workstream be redone/);
    await g.choose(/Fix it by hand/);
    await g.at(/Fix the change by hand/);
    await g.done();
    await g.at(/main is green/);
    await g.shot('end');
    await assertLeftMatchesDiagnosis(g, root);
    await assertReadable(g);
  });
});
