// What the playbook walks (test/e2e/walks/) share: a fresh demo workspace, the disk asked
// directly (git through execFile argv, python3's sqlite3 for rows), `lifeline diagnose --json`
// for what is left, opening a guide from the palette or the Stuck Workstreams view, and the
// check that the guide's text is for people (no CLI syntax, ids, placeholders or Markdown).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createDemoWorkspace } from '../../../scripts/demo/workspace.mjs';
import { Guide } from './guide';
import { chooseMenuItem, filterQuickPick, openActivity, openWorkbench, quickInput, quickPickRow, runCommand, viewPane } from './workbench';

const repoRoot = join(__dirname, '..', '..', '..');

export function demo(): string {
  return createDemoWorkspace(join(mkdtempSync(join(tmpdir(), 'lifeline-e2e-walk-')), 'payments-refactor')).root;
}

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' });
}

/** True when git exits 0 (e.g. merge-base --is-ancestor). */
export function gitOk(root: string, ...args: string[]): boolean {
  try {
    execFileSync('git', args, { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export type Row = Record<string, string | null>;

/** One row of the orchestration database, read by python3's sqlite3. */
export function row(root: string, id: string): Row {
  const code = [
    'import json, sqlite3, sys',
    'c = sqlite3.connect(sys.argv[1])',
    'c.row_factory = sqlite3.Row',
    'r = c.execute("SELECT * FROM workstream_status WHERE workstream_id = ?", (sys.argv[2],)).fetchone()',
    'print(json.dumps(dict(r) if r else None))',
  ].join('\n');
  const out = JSON.parse(execFileSync('python3', ['-c', code, join(root, '.state', 'orchestration.db'), id], { encoding: 'utf8' })) as Row | null;
  assert.ok(out, `${id} is in the database`);
  return out;
}

interface Finding {
  id: string;
  subject: string;
  detail: string;
}

/** What `lifeline diagnose --json` finds now (the CLI on the same core). */
export function diagnose(root: string): Finding[] {
  const out = execFileSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'diagnose', '--json', '--cwd', root], { encoding: 'utf8' });
  return (JSON.parse(out) as { findings: Finding[] }).findings;
}

/** Ages move on while a test runs: "311 min" and "312 min" are the same finding. */
function sameFinding(text: string): string {
  return text.replace(/\d+ min\b/g, 'N min').replace(/\d+ h\b/g, 'N h');
}

/** The end screen lists exactly what the CLI's diagnosis still finds. */
export async function assertLeftMatchesDiagnosis(guide: Guide, root: string): Promise<void> {
  const shown = (await guide.remaining()).map(sameFinding).sort();
  const found = diagnose(root).map((f) => sameFinding(f.detail)).sort();
  assert.deepEqual(shown, found, 'the end screen lists what `lifeline diagnose` finds');
  const summary = (await guide.current.locator('#remaining-summary').textContent()) ?? '';
  // "1 problem remains about what this guide handled, and 4 others in the workspace." What the
  // guide's own fix-up left on purpose (a workstream it marked failed) is listed apart, uncounted.
  const intended = await guide.current.locator('ul.remaining.intended li').count();
  const counted = [...summary.matchAll(/\d+/g)].reduce((n, m) => n + Number(m[0]), 0);
  assert.equal(counted, found.length - intended, `the summary counts what is left: "${summary}"`);
}

/**
 * Text the user reads in the guide must not be CLI syntax, internal ids (a journal entry's stamp)
 * or Markdown. A backup's folder or ref may carry a stamp: that is its name, which the user needs.
 */
export async function assertReadable(guide: Guide): Promise<void> {
  const text = (await guide.frame.locator('main').innerText()).replace(/\s+/g, ' ');
  for (const bad of [/\blifeline (fix|undo|guide)\b/, /\bworkstream\.\w+[-\w]*:/, /\bfixup\.\w/, /\{\{[^}]*\}\}/, /<(ws-id|agent-id|N|PID)>/, /`[^`]+`/, /\bseed 00\d/i, /(?<!backups\/|refs\/lifeline\/backup\/\S*)\d{8}T\d{6}/]) {
    assert.doesNotMatch(text, bad, `the guide shows ${String(bad)}`);
  }
}

/**
 * Opens a guide from Recover from Failure. With `about`, the guide asks what it is about in a
 * second quick pick ("Which workstream is this guide about?"): it is screenshotted and `about`
 * chosen there. Without it, the guide opens at once (it needs no subject, or only one exists).
 */
export async function openFromPalette(page: Page, title: string, about?: string): Promise<Guide> {
  await runCommand(page, 'Lifeline: Recover from Failure');
  await filterQuickPick(page, title);
  const rowLocator = quickPickRow(page, title).first();
  await rowLocator.waitFor({ state: 'visible', timeout: 15_000 });
  await rowLocator.click();
  const guide = new Guide(page, title.toLowerCase().replace(/[^a-z]+/g, '-').slice(0, 24));
  if (about !== undefined) {
    await quickInput(page).locator('.quick-input-title', { hasText: /is this guide about\?/ }).waitFor({ state: 'visible', timeout: 30_000 });
    const choice = quickInput(page).locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${about}$`) }) }).first();
    await choice.waitFor({ state: 'visible', timeout: 15_000 });
    await guide.shot('subject-choice');
    await choice.click();
  }
  await quickInput(page).waitFor({ state: 'hidden' });
  return guide;
}

export async function openFromTree(page: Page, label: string, name: string): Promise<Guide> {
  await openActivity(page, 'Lifeline');
  const pane = viewPane(page, 'Stuck Workstreams');
  const rowLocator = pane.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
  await rowLocator.waitFor({ state: 'visible', timeout: 60_000 });
  await rowLocator.click({ button: 'right' });
  await chooseMenuItem(page, 'Open Guide');
  return new Guide(page, name);
}

/** Lifeline is up and has diagnosed the workspace (the view lists ws-15). */
export async function ready(page: Page): Promise<void> {
  await openActivity(page, 'Lifeline');
  await viewPane(page, 'Stuck Workstreams').locator('.label-name', { hasText: /^ws-15$/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
}

/** Opens the workbench on `root` (a fresh demo by default), runs the walk, and screenshots a failure. */
export async function walk(browser: Browser, name: string, body: (page: Page, root: string) => Promise<void>, root = demo()): Promise<void> {
  const page = await openWorkbench(browser, root);
  try {
    await body(page, root);
  } catch (e) {
    await new Guide(page, name).shot('failed').catch(() => undefined);
    throw e;
  } finally {
    await page.context().close();
  }
}

