// Issue 10's acceptance: the db-locked playbook walked to its end in the browser, on the demo's
// crashed orchestration, choosing answers as a user would and confirming each fix-up; the disk
// (git, python3's sqlite3) is asked after each one, the end's "what is left" must be what
// `lifeline diagnose --json` finds. Screenshots: test-results/e2e/walk-db-locked-*.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { holdDatabase } from '../../../scripts/demo/workspace.mjs';
import { launch } from '../support/workbench';
import { assertLeftMatchesDiagnosis, assertReadable, demo, openFromPalette, ready, row, walk } from '../support/walk';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('walk: database is locked — the second writer is stopped, its write-ahead log checkpointed into the database', async () => {
  const root = demo();
  let writer: ChildProcess | undefined = await holdDatabase(root);
  const db = join(root, '.state', 'orchestration.db');
  try {
    await walk(
      browser,
      'db-locked',
      async (page) => {
        await ready(page);
        const g = await openFromPalette(page, 'Database is locked');
        await g.at(/Stop the duplicate writer/);
        assert.match((await g.mapLine(/Is another process using the database/).textContent()) ?? '', /yes: pid \d+ \(python[\d.]* -c import sqlite3.*\) has orchestration\.db/, 'the check names the writer');
        await g.shot('stop-writer');
        await assertReadable(g);
        writer!.kill('SIGKILL');
        await new Promise((r) => writer!.once('exit', r));
        writer = undefined;
        assert.ok(statSync(`${db}-wal`).size > 0, 'the killed writer left committed work in the WAL');
        await g.done();
        await g.at(/Checkpoint the write-ahead log/);
        await g.shot('checkpoint-preview');
        await g.run();
        assert.ok(!existsSync(`${db}-wal`) || statSync(`${db}-wal`).size === 0, 'the WAL is checkpointed (empty)');
        assert.match(row(root, 'ws-40').notes ?? '', /second orchestrator/, 'python3: the committed note is in the database');
        await g.at(/Prevent it next time/);
        await g.done();
        await g.at(/Database unlocked/);
        await g.shot('end');
        await assertLeftMatchesDiagnosis(g, root);
        await assertReadable(g);
      },
      root,
    );
  } finally {
    writer?.kill('SIGKILL');
  }
});
