// Issue 15's editor acceptance, walked in the browser: the demo's crashed orchestration plus a
// vibe-kanban task whose run outlived its server (its db.v2.sqlite written by python3 where the
// host's Lifeline reads the tool's data folder, a real worktree with unsaved work). The Stuck
// Workstreams view groups by tool and names the task in vibe-kanban's words; its guide saves the
// work on the branch, marks the run killed as vibe-kanban's Stop does, undo brings it back
// running, run again, the guide ends. python3 and git are asked after each fix-up.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { e2eHost } from '../support/host';
import { Guide } from '../support/guide';
import { assertReadable, demo, git, walk } from '../support/walk';
import { chooseMenuItem, launch, openActivity, screenshot, viewPane } from '../support/workbench';
import { readVibeDb, writeVibeDb } from '../../unit/sources/vibe-kanban-fixture';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const RUN = 'aaaaaaaa-1111-4111-8111-000000000001';

test('walk: a vibe-kanban run outlived its server — grouped by tool, in its words; save the work, mark it killed, undo, again, the guide ends', async () => {
  const root = demo();
  const { agentData, agentTemp } = e2eHost();
  const db = join(agentData, 'vibe-kanban', 'db.v2.sqlite');
  // Where vibe-kanban puts its workspaces: worktrees/<short id>-<slug>/<repo name> in its temp folder.
  const container = join(agentTemp, 'vibe-kanban', 'worktrees', `1a2b-fix-login-${basename(join(root, '..'))}`);
  mkdirSync(container, { recursive: true });
  const worktree = join(container, basename(root));
  git(root, 'worktree', 'add', '-q', '-b', 'vk/1a2b-fix-login', worktree);
  writeFileSync(join(worktree, 'login.ts'), 'export const login = () => true;\n');
  writeVibeDb(db, [
    {
      id: '1a2b3c4d-5e6f-4a1b-8c2d-0123456789ab',
      repoPath: root,
      repoName: basename(root),
      containerRef: container,
      branch: 'vk/1a2b-fix-login',
      task: { id: 'bbbbbbbb-0000-4000-8000-000000000001', title: 'Fix the login form', status: 'inprogress' },
      session: 'cccccccc-0000-4000-8000-000000000001',
      runs: [{ id: RUN, status: 'running', startedAt: '2026-12-01T08:00:00Z' }],
    },
  ]);
  const run = () => readVibeDb(db).runs.find((r) => r.id === RUN)!;
  // The CLI on the same core, with the tool's folders the host's Lifeline reads.
  const ghostRuns = () => {
    const out = execFileSync(process.execPath, [join(__dirname, '..', '..', '..', 'dist', 'cli.js'), 'diagnose', '--json', '--cwd', root], { encoding: 'utf8', env: { ...process.env, XDG_DATA_HOME: agentData, TMPDIR: agentTemp } });
    return (JSON.parse(out) as { findings: { id: string; source: string }[] }).findings.filter((f) => f.source === 'vibe-kanban').map((f) => f.id);
  };
  assert.deepEqual(ghostRuns(), ['ghost-run:vk-1a2b3c4d'], 'the CLI finds the ghost run the view will show');
  try {
    await walk(
      browser,
      'ghost-run',
      async (page) => {
        await openActivity(page, 'Lifeline');
        const pane = viewPane(page, 'Stuck Workstreams');
        // Two tools have findings: the view's top level is one node per tool.
        await pane.locator('.label-name', { hasText: /^vibe-kanban \(1\)$/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
        await pane.locator('.label-name', { hasText: /^This repository \(\d+\)$/ }).first().waitFor({ state: 'visible' });
        const taskRow = pane.locator('.monaco-list-row', { hasText: 'Fix the login form' }).first();
        assert.match((await taskRow.textContent()) ?? '', /vk-1a2b3c4d/, 'the id is beside the task title');
        await screenshot(page, 'walk-ghost-run-0-tree-by-tool');

        // The view is open already (a second click on its icon would close it): the row's menu.
        await taskRow.click({ button: 'right' });
        await chooseMenuItem(page, 'Open Guide');
        const g = new Guide(page, 'ghost-run');
        // The owner and the tool are answered from the disk; the guide stops at the first thing to do.
        await g.at(/Commit the worktree's work on vk\/1a2b-fix-login/);
        assert.match((await g.mapLine(/owner still running/).textContent()) ?? '', /no/);
        assert.match((await g.mapLine(/a vibe-kanban run/).textContent()) ?? '', /yes/);
        await assertReadable(g);
        await g.expectPreview('reversible');
        await g.shot('save-preview');
        await g.run();
        assert.equal(git(worktree, 'status', '--porcelain'), '', 'git: the worktree is clean');
        assert.match(git(root, 'show', '--stat', '--format=%s', 'vk/1a2b-fix-login'), /login\.ts/, 'git: the work is on the branch');

        await g.at(/Mark the run killed, as vibe-kanban's Stop does/);
        await g.expectPreview('reversible');
        await g.frame.getByText(/UPDATE execution_processes SET status = 'killed'|UPDATE execution_processes SET status='killed'/).first().waitFor({ state: 'visible' });
        assert.equal(run().status, 'running', 'python3: nothing is written before the user confirms');
        await g.shot('stop-preview');
        await g.run();
        let back = readVibeDb(db);
        assert.equal(run().status, 'killed', 'python3: the run is killed');
        assert.equal(back.integrity, 'ok');
        assert.equal(back.journal_mode, 'delete', "vibe-kanban's journal mode is kept");
        assert.equal(back.runs[0]!.id_type, 'blob', 'ids stay 16-byte BLOBs');

        await g.undo(/killed/);
        assert.equal(run().status, 'running', 'python3: undo put the run back');
        await g.at(/Mark the run killed/);
        await g.shot('after-undo');
        await g.run();
        assert.equal(run().status, 'killed');

        await g.at(/The run is settled and the work is on its branch/);
        // The journal changed, so the view looks again: the task is gone from it, and with one
        // tool left its top level is the groups again.
        await pane.locator('.monaco-list-row', { hasText: 'Fix the login form' }).first().waitFor({ state: 'hidden', timeout: 30_000 });
        await pane.locator('.label-name', { hasText: /^Stuck \(1\)$/ }).first().waitFor({ state: 'visible' });
        assert.equal(await pane.locator('.label-name', { hasText: /^vibe-kanban \(/ }).count(), 0);
        await g.shot('end');
        back = readVibeDb(db);
        assert.equal(back.integrity, 'ok');
        assert.deepEqual(ghostRuns(), [], 'the CLI no longer finds the ghost run');
        await assertReadable(g);
      },
      root,
    );
  } finally {
    rmSync(db, { force: true });
    git(root, 'worktree', 'remove', '--force', worktree);
  }
});
