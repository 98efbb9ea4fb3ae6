// As a user: the packaged extension is installed in code-server; "Lifeline: Recover from
// Failure" from the command palette opens a quick pick listing the built-in playbooks.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { parse } from 'yaml';
import { makeWorkspace } from './support/host';
import { filterQuickPick, launch, openWorkbench, quickInput, quickPickLabels, quickPickRow, runCommand, screenshot } from './support/workbench';

/** Titles straight from playbooks/*.yaml (what the user should be offered). */
function playbookTitles(): string[] {
  const dir = join(__dirname, '..', '..', 'playbooks');
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => (parse(readFileSync(join(dir, f), 'utf8')) as { title?: string }).title)
    .filter((t): t is string => typeof t === 'string');
}

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('Recover from Failure lists every built-in playbook in its quick pick', async () => {
  const titles = playbookTitles();
  assert.ok(titles.length > 0, 'no playbook titles found in playbooks/');
  const page = await openWorkbench(browser, makeWorkspace());
  try {
    await runCommand(page, 'Lifeline: Recover from Failure');
    const shown = await quickPickLabels(page);
    await screenshot(page, 'recover-quick-pick');
    assert.ok(shown.some((l) => titles.includes(l)), `quick pick shows ${JSON.stringify(shown)}, none of them a playbook`);
    // The list is virtual: find each playbook by filtering rather than trusting what is on screen.
    for (const title of titles) {
      await filterQuickPick(page, title);
      await quickPickRow(page, title).first().waitFor({ state: 'visible', timeout: 5_000 });
    }
    await page.keyboard.press('Escape');
    await quickInput(page).waitFor({ state: 'hidden' });
  } finally {
    await page.context().close();
  }
});
