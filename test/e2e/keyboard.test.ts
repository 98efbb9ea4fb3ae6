// Issue 10's map and keys, walked with the keyboard only on the demo's crashed orchestration:
// the Stuck Workstreams view (palette, arrows, Enter) opens ws-15's guide; each step's primary
// action has the focus (Enter runs it), number keys pick options, Alt+Left goes back; the map
// beside the step shows visited, current and not-taken nodes with the checks' evidence.
// Screenshots (light theme, the default here) to look at.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { createDemoWorkspace } from '../../scripts/demo/workspace.mjs';
import { launch, openWorkbench, quickInput, screenshot, webviewFrame } from './support/workbench';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Runs a palette command by typing its title and pressing Enter (no mouse). */
async function paletteByKeys(page: Page, title: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await page.keyboard.press('F1');
      await quickInput(page).locator('input').waitFor({ state: 'visible', timeout: 5_000 });
      await page.keyboard.type(title);
      await quickInput(page).locator('.monaco-list-row').filter({ hasText: title }).first().waitFor({ state: 'visible', timeout: 3_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (e) {
      // Contributions register a few seconds after the workbench shows.
      if (attempt > 8) throw e;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
  }
}

/** The data-key of the guide page's active element (where its keyboard input goes). */
async function focusedKey(frame: FrameLocator): Promise<string | null> {
  // Runs in the page; the test's own tsconfig has no DOM types.
  type Page = { document: { activeElement: { getAttribute(name: string): string | null } | null } };
  return frame.locator('body').evaluate(() => (globalThis as unknown as Page).document.activeElement?.getAttribute('data-key') ?? null, undefined, { timeout: 5_000 });
}

async function nowTitle(frame: FrameLocator, text: RegExp): Promise<void> {
  await frame.locator('#now-h', { hasText: text }).waitFor({ state: 'visible', timeout: 30_000 });
}

/** Waits until the page has put the focus on `key` (it does after rendering the new step). */
async function expectFocus(frame: FrameLocator, key: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await focusedKey(frame).catch(() => null);
    if (last === key) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  type Page = { document: { activeElement: { outerHTML: string } | null; hasFocus(): boolean } };
  const where = await frame.locator('body').evaluate(() => {
    const d = (globalThis as unknown as Page).document;
    return `${d.activeElement?.outerHTML.slice(0, 120) ?? 'none'} (page has focus: ${d.hasFocus()})`;
  });
  assert.fail(`focus is on ${String(last)}, not ${key}: ${where}`);
}

test('keyboard only: a guide from the Stuck Workstreams view is walked with Enter, number keys and Alt+Left, with the map beside it', async () => {
  const root = createDemoWorkspace(join(mkdtempSync(join(tmpdir(), 'lifeline-e2e-keys-')), 'payments-refactor')).root;
  const page = await openWorkbench(browser, root);
  try {
    // The browser page itself gets the keyboard once (a real window has it when the user types).
    await page.locator('.monaco-workbench .part.editor').click({ position: { x: 300, y: 300 } });
    await paletteByKeys(page, 'Focus on Stuck Workstreams View');
    // The view is alone in its container, so the side bar is the view.
    const pane = page.locator('.part.sidebar');
    await pane.locator('.monaco-list-row .label-name', { hasText: /^ws-15$/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
    // Focus it again now that its rows are there (the first focus may land before the diagnosis).
    await paletteByKeys(page, 'Focus on Stuck Workstreams View');
    await page.waitForTimeout(500);
    // Arrow down to ws-15 (the first row under "Stuck"), then Enter opens its guide.
    const focusedRow = pane.locator('.monaco-list-row.focused .label-name');
    for (let i = 0; i < 12; i++) {
      const label = (await focusedRow.count()) ? ((await focusedRow.first().textContent({ timeout: 1_000 })) ?? '') : '';
      if (label.trim() === 'ws-15') break;
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(200);
    }
    assert.equal(((await focusedRow.first().textContent({ timeout: 1_000 })) ?? '').trim(), 'ws-15', 'the arrows reach ws-15');
    await page.keyboard.press('Enter');

    const frame = webviewFrame(page);
    // The checks answer themselves (ws-15 has run for hours); the first step waits for "Done".
    await nowTitle(frame, /Find the agent process/i);
    // A tree keeps the keyboard after Enter; Ctrl+1 moves it to the editor group, the guide.
    await page.keyboard.press('Control+1');
    await expectFocus(frame, 'continue');
    const progress = frame.locator('#progress-text');
    assert.match((await progress.textContent()) ?? '', /^Step 2 of about \d+$/);
    // The map: the automatic check is passed, with what it saw; the current node is marked.
    const map = frame.locator('ol.outline');
    await map.waitFor({ state: 'visible' });
    const passed = map.locator('li.status-visited', { hasText: /running past the stuck threshold/i }).first();
    // It says what it saw: "yes: ws-15 has been running for 311 min ...".
    assert.match((await passed.textContent()) ?? '', /yes: .*\d+ min/);
    assert.equal(await map.locator('li[aria-current="step"]').count(), 1);
    assert.ok((await map.locator('li.status-not-taken').count()) > 0, 'the branch the check did not take is shown as not taken');
    await screenshot(page, 'keys-1-first-step-light');

    await page.keyboard.press('Enter'); // Done -> the next step
    await nowTitle(frame, /See what the agent left/i);
    await expectFocus(frame, 'continue');
    await page.keyboard.press('Enter'); // Done -> the worktree check answers itself -> a question
    await nowTitle(frame, /worth keeping/i);
    await expectFocus(frame, 'opt-0');
    // The live region names the new step.
    await frame.locator('#announce', { hasText: /Step \d+ of about \d+\. Now: .*worth keeping/i }).waitFor({ state: 'attached', timeout: 10_000 });
    await screenshot(page, 'keys-2-question-light');

    await page.keyboard.press('2'); // "No, throw it away" -> a step
    await nowTitle(frame, /Stop the hung agent/i);
    await expectFocus(frame, 'continue');
    await page.keyboard.press('Alt+ArrowLeft'); // back to the question
    await nowTitle(frame, /worth keeping/i);
    await expectFocus(frame, 'opt-0');
    await page.keyboard.press('1'); // "Yes, save it" -> the save-WIP fix-up's preview
    await nowTitle(frame, /Commit the agent's changes/i);
    // Its preview, or the reason it cannot run yet: either way the first action has the focus.
    const ready = frame.locator('.current button[data-key="confirm"], .current #blocked-reason').first();
    await ready.waitFor({ state: 'visible', timeout: 30_000 });
    await expectFocus(frame, (await frame.locator('.current button[data-key="confirm"]').count()) ? 'confirm' : 'recheck');
    await screenshot(page, 'keys-3-preview-light');

    // Alt+Left leaves the preview without running it; the map's "passed" lines go back too.
    await page.keyboard.press('Alt+ArrowLeft');
    await nowTitle(frame, /worth keeping/i);
    await expectFocus(frame, 'opt-0');

    // The map beside the question: passed lines are links back, the current one is marked.
    assert.ok((await map.locator('li.status-visited button.link').count()) >= 2, 'visited decisions are buttons that go back');
    await screenshot(page, 'keys-4-back-at-question-light');
  } catch (e) {
    await screenshot(page, 'keys-failed').catch(() => undefined);
    throw e;
  } finally {
    await page.context().close();
  }
});
