// Driving the VS Code workbench as a user would, for E2E tests: open a folder, the command
// palette, quick picks, notifications, tree views, webviews (nested iframes) and the lightbulb.
// Selectors are VS Code 1.100's DOM; keep them here so a workbench update is one edit.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { e2eHost } from './host';

/** Headless Chromium with the flags the stage chose (scripts/host/browser.mjs). */
export async function launch(): Promise<Browser> {
  const host = e2eHost();
  return chromium.launch({ executablePath: host.chromium, headless: true, args: host.chromiumArgs });
}

export interface OpenOptions {
  /** Open on the server that enforces workspace trust (the folder is untrusted). */
  untrusted?: boolean;
}

/** Opens the workbench on `folder` in a new browser context and waits until it is usable. */
export async function openWorkbench(browser: Browser, folder: string, options: OpenOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const url = new URL(options.untrusted ? e2eHost().untrustedUrl : e2eHost().url);
  url.searchParams.set('folder', folder);
  await page.goto(url.toString());
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: 60_000 });
  // The explorer lists the folder once the remote file system and extension host are connected.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
  return page;
}

/** Saves test-results/e2e/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = e2eHost().resultsDir;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The quick input (command palette / quick pick) widget. */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** Opens the command palette (F1) and waits for its input. */
export async function openPalette(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
  await page.keyboard.press('F1');
  await quickInput(page).locator('input').waitFor({ state: 'visible' });
}

/**
 * Runs a command by its palette title, e.g. "Lifeline: Recover from Failure". Extension
 * contributions register a few seconds after the workbench shows, so an empty palette is
 * retried until `timeoutMs`.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await openPalette(page);
    await quickInput(page).locator('input').fill(`>${title}`);
    const row = quickPickRow(page, title);
    try {
      await row.first().waitFor({ state: 'visible', timeout: 3_000 });
      await row.first().click();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`command "${title}" did not appear in the palette within ${timeoutMs} ms`, { cause: e });
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
  }
}

/** Visible quick pick rows whose label is exactly `label`. */
export function quickPickRow(page: Page, label: string): Locator {
  return quickInput(page).locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: label }) });
}

/** Labels of the quick pick rows currently rendered (the list is virtual: only what is on screen). */
export async function quickPickLabels(page: Page): Promise<string[]> {
  await quickInput(page).locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 15_000 });
  const labels = await quickInput(page).locator('.monaco-list-row .label-name').allTextContents();
  return labels.map((l) => l.trim()).filter(Boolean);
}

/** Types a filter into the open quick pick. */
export async function filterQuickPick(page: Page, text: string): Promise<void> {
  await quickInput(page).locator('input').fill(text);
}

/** Waits for a notification toast containing `text`; returns it (buttons are inside). */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 15_000): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  await toast.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return toast.first();
}

/**
 * Chooses `label` in the open context menu. A click that lands while the menu is still laying
 * itself out only highlights the item (the menu stays open), so the highlighted item is then
 * taken with Enter, as a keyboard user would; the menu must close either way.
 */
export async function chooseMenuItem(page: Page, label: string): Promise<void> {
  const item = page.locator('.context-view .monaco-menu .action-item', { hasText: label }).first();
  await item.waitFor({ state: 'visible' });
  await item.click();
  try {
    await item.waitFor({ state: 'hidden', timeout: 3_000 });
  } catch {
    await page.keyboard.press('Enter');
    await item.waitFor({ state: 'hidden', timeout: 5_000 });
  }
}

/** The content frame of the (first ready) webview: VS Code nests it as iframe.webview.ready > #active-frame. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
}

/** A view pane in the side bar by its header title (e.g. "Stuck Workstreams"). */
export function viewPane(page: Page, title: string): Locator {
  return page.locator('.pane').filter({ has: page.locator('.pane-header h3.title', { hasText: title }) });
}

/** Labels of the tree items rendered in a view pane. */
export async function treeItemLabels(pane: Locator): Promise<string[]> {
  await pane.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 15_000 });
  const labels = await pane.locator('.monaco-list-row .label-name').allTextContents();
  return labels.map((l) => l.trim());
}

/** Clicks an activity bar entry by its title (e.g. "Lifeline") and waits for its side bar. */
export async function openActivity(page: Page, title: string): Promise<void> {
  await page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).first().click();
  await page.locator('.part.sidebar').waitFor({ state: 'visible' });
}

/** The code-action lightbulb in the active editor. */
export function lightbulb(page: Page): Locator {
  return page.locator('.monaco-editor .lightBulbWidget');
}

/** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
  await page.keyboard.press('Control+P');
  await quickInput(page).locator('input').fill(relativePath);
  await quickInput(page).locator('.monaco-list-row').first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.editor-instance .monaco-editor').first().waitFor({ state: 'visible' });
}
