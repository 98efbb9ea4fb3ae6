// Issue 10's acceptance: the dependency-cycle playbook walked to its end in the browser, on the demo's
// crashed orchestration, choosing answers as a user would and confirming each fix-up; the disk
// (git, python3's sqlite3) is asked after each one, the end's "what is left" must be what
// `lifeline diagnose --json` finds. Screenshots: test-results/e2e/walk-dependency-cycle-*.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launch } from '../support/workbench';
import { assertLeftMatchesDiagnosis, diagnose, assertReadable, openFromPalette, ready, row, walk } from '../support/walk';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('walk: dependency cycle — ws-22 is unblocked, undo puts the block back, run again, the cycle is gone', async () => {
  await walk(browser, 'cycle', async (page, root) => {
    await ready(page);
    const g = await openFromPalette(page, 'Dependency cycle');
    await g.at(/Which workstream is this guide about|Where is the cycle/);
    if ((await g.kind()) === 'subject') {
      await g.shot('subject-choice');
      await g.subject('ws-22');
    }
    await g.at(/Where is the cycle/);
    await assertReadable(g);
    await g.choose(/Between workstreams/);
    await g.at(/Look at the blocking graph/);
    await g.shot('graph');
    await g.done();
    await g.at(/How do you want to break the cycle/);
    await g.choose(/Clear blocked_by on the suggested workstream/);
    await g.at(/Clear blocked_by of ws-22/);
    await g.expectPreview('reversible');
    await g.shot('unblock-preview');
    await g.run();
    assert.equal(row(root, 'ws-22').blocked_by, null, 'python3: ws-22 is no longer blocked');

    await g.undo(/blocked_by/);
    assert.equal(row(root, 'ws-22').blocked_by, 'ws-31', 'python3: undo restored the block');
    await g.at(/Clear blocked_by of ws-22/);
    await g.shot('after-undo');
    await g.run();
    assert.equal(row(root, 'ws-22').blocked_by, null);

    // The specs still hold the edge, so the cycle is not gone yet: the guide says so and sends the
    // user to the spec. They edit it (here: the file written as an editor would save it).
    await g.at(/Remove the dependency from ws-22's spec/);
    assert.match((await g.current.locator('ul.checked').textContent()) ?? '', /still have a cycle.*yes: .*drop "ws-31" from depends_on in workstreams\/ws-22\.json/);
    await g.shot('edit-spec');
    const specFile = join(root, 'workstreams', 'ws-22.json');
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as { depends_on: string[] };
    writeFileSync(specFile, `${JSON.stringify({ ...spec, depends_on: spec.depends_on.filter((d) => d !== 'ws-31') }, null, 2)}\n`);
    await g.done();
    await g.at(/Restart the orchestrator/);
    await g.done();
    await g.at(/Cycle broken/);
    await g.shot('end');
    await assertLeftMatchesDiagnosis(g, root);
    assert.ok(!diagnose(root).some((f) => f.id.startsWith('dependency-cycle')), 'the CLI finds no cycle any more');
    assert.match((await g.current.locator('[role="status"]').first().textContent()) ?? '', /^Resolved/);
    await assertReadable(g);
  });
});
