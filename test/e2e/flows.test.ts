// Issue 5's main flows as a user sees them in the browser, on the demo's crashed orchestration
// (scripts/demo/workspace.mjs): the Stuck Workstreams view -> Mark Failed -> confirmed in the
// guide -> python3 reads the row; terminal output -> notification -> guide -> prune confirmed ->
// git agrees; a failing JUnit report -> squiggle -> lightbulb -> re-run; an untrusted workspace
// offers no fix-up. Screenshots at each step, in the dark and light default themes.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createDemoWorkspace } from '../../scripts/demo/workspace.mjs';
import { chooseMenuItem, lightbulb, launch, openActivity, openFile, openWorkbench, quickInput, runCommand, screenshot, viewPane, waitForNotification, webviewFrame } from './support/workbench';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function demo(): string {
  return createDemoWorkspace(join(mkdtempSync(join(tmpdir(), 'lifeline-e2e-demo-')), 'payments-refactor')).root;
}

function pyStatus(root: string, id: string): string {
  const code = 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(c.execute("SELECT status FROM workstream_status WHERE workstream_id = ?", (sys.argv[2],)).fetchone()[0])';
  return execFileSync('python3', ['-c', code, join(root, '.state', 'orchestration.db'), id], { encoding: 'utf8' }).trim();
}

function worktrees(root: string): string {
  return execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: root, encoding: 'utf8' });
}

async function setTheme(page: Page, label: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await quickInput(page).locator('input').fill(label);
  await quickInput(page).locator('.monaco-list-row', { hasText: label }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
}

/** The row of `label` in the Stuck Workstreams view, once the diagnosis has filled it. */
async function workstreamRow(page: Page, label: string) {
  await openActivity(page, 'Lifeline');
  const pane = viewPane(page, 'Stuck Workstreams');
  const row = pane.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  await row.first().waitFor({ state: 'visible', timeout: 60_000 });
  return row.first();
}

test('stuck workstream in the tree -> Mark Failed -> confirmed in the guide -> the row is failed in the database', async () => {
  const root = demo();
  const page = await openWorkbench(browser, root);
  try {
    const row = await workstreamRow(page, 'ws-15');
    await screenshot(page, 'flow-tree-1-stuck-workstreams');
    await row.click({ button: 'right' });
    await page.locator('.context-view .action-item', { hasText: 'Mark Failed' }).first().waitFor({ state: 'visible' });
    await screenshot(page, 'flow-tree-2-context-menu');
    await chooseMenuItem(page, 'Mark Failed');

    const frame = webviewFrame(page);
    const run = frame.getByRole('button', { name: 'Run this fix-up' });
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    await frame.getByText(/UPDATE "workstream_status" SET status = 'failed'/).first().waitFor({ state: 'visible' });
    await frame.locator('.effect-badge.effect-reversible', { hasText: 'Reversible: backed up first; the Undo button (or Lifeline: Undo a Fix-up...) restores it' }).waitFor({ state: 'visible' });
    // The row before -> after: the changed cells first, old value struck through, new one marked.
    const status = frame.locator('table.diff td.changed').first();
    assert.equal(await status.locator('del').textContent(), 'running');
    assert.equal(await status.locator('ins').textContent(), 'failed');
    assert.equal(await frame.locator('table.diff th').first().textContent(), 'status');
    assert.equal(pyStatus(root, 'ws-15'), 'running', 'nothing is written before the user confirms');
    await frame.locator('table.diff').scrollIntoViewIfNeeded();
    await screenshot(page, 'flow-tree-3-preview-diff');
    // Narrow: the panel about 500 px wide; the changed columns stay in view.
    const size = page.viewportSize();
    await page.setViewportSize({ width: 860, height: size?.height ?? 800 });
    await frame.locator('table.diff').scrollIntoViewIfNeeded();
    await screenshot(page, 'flow-tree-3-preview-narrow');
    if (size) await page.setViewportSize(size);
    // This host starts in the light default theme; the same screen in the dark one.
    await screenshot(page, 'flow-tree-3-preview-light');
    await setTheme(page, 'Dark Modern');
    await frame.getByText(/UPDATE "workstream_status"/).first().waitFor({ state: 'visible' });
    await screenshot(page, 'flow-tree-3-preview-dark');

    await run.click();
    await frame.getByRole('button', { name: 'Undo' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'flow-tree-4-done');
    assert.equal(pyStatus(root, 'ws-15'), 'failed');
  } finally {
    await page.context().close();
  }
});

test('terminal failure -> notification -> guide -> prune confirmed -> git no longer lists the worktree', async () => {
  const root = demo();
  assert.match(worktrees(root), /agent-3-ws-27\n[\s\S]*?prunable/);
  const page = await openWorkbench(browser, root);
  try {
    await workstreamRow(page, 'ws-15'); // Lifeline is up and has diagnosed the workspace
    await runCommand(page, 'Terminal: Create New Terminal');
    const terminal = page.locator('.terminal-wrapper.active .xterm');
    await terminal.waitFor({ state: 'visible', timeout: 30_000 });
    await terminal.click();
    // Shell integration needs a moment to hook into the new shell; a command typed before it is
    // ready is not seen, so wait for the prompt decoration it draws.
    await page.locator('.terminal-wrapper.active .terminal-command-decoration').first().waitFor({ state: 'attached', timeout: 30_000 });
    // As a real command would, it takes a moment before it fails (an instant one can end before
    // VS Code starts streaming its output to extensions).
    await page.keyboard.type("sleep 1; printf 'fatal: validation failed, cannot remove working tree: .git/worktrees/agent-3-ws-27/gitdir points to non-existent location\\n'; false");
    await page.keyboard.press('Enter');

    const toast = await waitForNotification(page, /Looks like Git worktree corruption/, 30_000);
    await screenshot(page, 'flow-terminal-1-notification');
    await toast.getByRole('button', { name: 'Open guide' }).click();

    const frame = webviewFrame(page);
    await frame.getByText(/git worktree prune -v/).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'flow-terminal-2-guide');
    await frame.locator('.effect-badge.effect-irreversible', { hasText: 'cannot be undone' }).waitFor({ state: 'visible' });
    await frame.getByRole('button', { name: 'Run this fix-up' }).click();
    await frame.getByText(/worked/).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'flow-terminal-3-pruned');
    assert.equal(await frame.getByRole('button', { name: 'Undo' }).count(), 0, 'no Undo after a prune');
    assert.doesNotMatch(worktrees(root), /agent-3-ws-27/);
    assert.match(execFileSync('git', ['branch', '--list', 'ws/ws-27/agent-3'], { cwd: root, encoding: 'utf8' }), /ws-27/, 'its branch (and commits) stay');
  } finally {
    await page.context().close();
  }
});

test('failing JUnit report -> squiggle at the failing test -> lightbulb -> re-run only that test', async () => {
  const root = demo();
  const page = await openWorkbench(browser, root);
  try {
    await openFile(page, 'tests/engine/test_executor.py');
    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    await squiggle.waitFor({ state: 'attached', timeout: 60_000 });
    await squiggle.click({ force: true });
    await lightbulb(page).first().waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'flow-junit-1-diagnostic');
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.waitFor({ state: 'visible', timeout: 15_000 });
    const rerun = menu.locator('.monaco-list-row', { hasText: 'Lifeline: re-run only this test' });
    await rerun.first().waitFor({ state: 'visible' });
    assert.equal(await menu.locator('.monaco-list-row', { hasText: 'Lifeline: open the "Tests failed" guide' }).count(), 1);
    await screenshot(page, 'flow-junit-2-quick-fixes');
    // A pointer block covers the action widget in this host: choose by keyboard, as many do.
    const index = Number(await rerun.first().getAttribute('data-index'));
    const focused = menu.locator('.monaco-list-row.focused');
    for (let i = 0; i < 6 && Number(await focused.first().getAttribute('data-index')) !== index; i++) await page.keyboard.press('ArrowDown');
    assert.equal(Number(await focused.first().getAttribute('data-index')), index, 'the re-run action has the keyboard focus');
    await page.keyboard.press('Enter');
    await page.locator('.part.panel').getByText(/Re-run .*test_retry_logic/).first().waitFor({ state: 'visible', timeout: 30_000 });
    // The run finishes in Lifeline's terminal: the command names only that test, and its exit code shows.
    const terminal = page.locator('.part.panel .xterm-rows');
    await terminal.getByText(/Lifeline runs: .*pytest .*test_executor\.py::test_retry_logic/).first().waitFor({ state: 'visible', timeout: 30_000 });
    await terminal.getByText(/Exit code \d+/).first().waitFor({ state: 'visible', timeout: 60_000 });
    await screenshot(page, 'flow-junit-3-rerun');
  } finally {
    await page.context().close();
  }
});

test('untrusted workspace: the view diagnoses, but no fix-up is offered in the tree, the guide or the quick fixes', async () => {
  const root = demo();
  const page = await openWorkbench(browser, root, { untrusted: true });
  try {
    // A failing test still gets its squiggle and guide, but no quick fix that would run code.
    await openFile(page, 'tests/engine/test_executor.py');
    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    await squiggle.waitFor({ state: 'attached', timeout: 60_000 });
    await squiggle.click({ force: true });
    await page.keyboard.press('Control+.');
    const fixes = page.locator('.action-widget');
    await fixes.locator('.monaco-list-row', { hasText: 'Lifeline: open the "Tests failed" guide' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'flow-untrusted-0-quick-fixes');
    assert.equal(await fixes.locator('.monaco-list-row', { hasText: 'Lifeline: re-run only this test' }).count(), 0);
    assert.equal(await fixes.locator('.monaco-list-row', { hasText: 'Find the merge' }).count(), 0);
    await page.keyboard.press('Escape');

    const row = await workstreamRow(page, 'ws-15');
    await row.click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.locator('.action-item', { hasText: 'Open Guide' }).first().waitFor({ state: 'visible' });
    await screenshot(page, 'flow-untrusted-1-context-menu');
    assert.equal(await menu.locator('.action-item', { hasText: 'Mark Failed' }).count(), 0);
    await menu.locator('.action-item', { hasText: 'Open Guide' }).first().click();
    const frame = webviewFrame(page);
    await frame.getByText(/Restricted Mode: this workspace is not trusted/).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'flow-untrusted-2-guide');
    assert.equal(await frame.getByRole('button', { name: 'Run this fix-up' }).count(), 0);
    assert.equal(pyStatus(root, 'ws-15'), 'running');
  } finally {
    await page.context().close();
  }
});
