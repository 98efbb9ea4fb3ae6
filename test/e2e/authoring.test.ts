// Writing a playbook as a user does, in the browser: "Lifeline: New Playbook" asks what failure it
// is for and opens the explained template; a misspelt field is squiggled where it is typed, with
// the reason in Problems; fixing it clears the squiggle; the editor's Preview Guide button shows
// the guide beside the file and follows an edit. Screenshots of each screen.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { demo } from './support/walk';
import { launch, openWorkbench, quickInput, runCommand, screenshot, webviewFrame } from './support/workbench';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Waits until `file` on disk matches `re` (a save, or the host's auto-save, lands a moment later). */
async function onDisk(file: string, re: RegExp, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!re.test(readFileSync(file, 'utf8'))) {
    if (Date.now() > end) assert.fail(`${file} never matched ${String(re)}:\n${readFileSync(file, 'utf8').slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Moves the cursor to the start of 1-based `line` in the active editor (Go to Line). */
async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await quickInput(page).locator('input').waitFor({ state: 'visible' });
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await quickInput(page).waitFor({ state: 'hidden' });
  await page.keyboard.press('Home');
}

/** Replaces the text of 1-based `line` in the active editor by typing, as a person would. */
async function retype(page: Page, line: number, text: string): Promise<void> {
  await goToLine(page, line);
  await page.keyboard.press('Shift+End');
  await page.keyboard.type(text);
}

test('author a playbook: New Playbook, a squiggle at the misspelt field, fixed, then Preview Guide follows the file', async () => {
  const root = demo();
  const page = await openWorkbench(browser, root);
  try {
    await runCommand(page, 'Lifeline: New Playbook');
    const input = quickInput(page).locator('input');
    await input.waitFor({ state: 'visible' });
    await input.fill('Redis refuses connections');
    await screenshot(page, 'author-1-new-playbook');
    await page.keyboard.press('Enter');

    // The template opens in an editor, and it is on disk in the playbook folder.
    const file = join(root, '.lifeline', 'playbooks', 'redis-refuses-connections.yaml');
    await page.locator('.tab.active', { hasText: 'redis-refuses-connections.yaml' }).waitFor({ state: 'visible', timeout: 30_000 });
    const lines = readFileSync(file, 'utf8').split('\n');
    const severity = lines.findIndex((l) => l.startsWith('severity:')) + 1;
    const title = lines.findIndex((l) => l.startsWith('title:')) + 1;
    assert.ok(severity > 0 && title > 0, 'the template has a severity and a title');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').click();
    await screenshot(page, 'author-2-template');

    // A misspelt field: squiggled at once (unsaved), and Problems say why.
    await retype(page, severity, 'severty: 3');
    const squiggle = editor.locator('.squiggly-error');
    await squiggle.first().waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'View: Focus Problems (Errors, Warnings, Infos)');
    const problems = page.locator('.markers-panel');
    await problems.locator('.monaco-list-row', { hasText: /`severty` is not a playbook field — did you mean `severity`\?/ }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await screenshot(page, 'author-3-squiggle');

    // Fixed: the squiggle goes; saved, the file on disk is the fixed one.
    await editor.locator('.view-lines').click();
    await retype(page, severity, 'severity: 3');
    await squiggle.first().waitFor({ state: 'detached', timeout: 30_000 });
    await page.keyboard.press('Control+S');
    await onDisk(file, /^severity: 3$/m);

    // The editor's own Preview Guide button (it shows for playbook files) opens the guide beside it.
    const button = page.locator('.editor-actions .action-label[aria-label="Preview Guide"]').first();
    await button.waitFor({ state: 'visible', timeout: 15_000 });
    await button.click();
    const frame = webviewFrame(page);
    await frame.locator('h1', { hasText: 'Redis refuses connections' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'author-4-preview');

    // An edit to the title shows in the guide without saving.
    await editor.locator('.view-lines').click();
    await retype(page, title, 'title: Redis refuses our connections');
    await frame.locator('h1', { hasText: 'Redis refuses our connections' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'author-5-preview-follows');
  } catch (e) {
    await screenshot(page, 'author-failed');
    throw e;
  } finally {
    await page.context().close();
  }
});
