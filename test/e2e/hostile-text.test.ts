// Text from the orchestration database reaches the guide page as a person reads it, escaped: an
// agent id with a bidi override, an escape sequence and a newline that would forge a suggestion
// line, an error message with an OSC title sequence. The page's DOM text holds the visible
// escapes (`\u202e`, `\x1b`, `\n`) and none of the raw characters.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createDemoWorkspace } from '../../scripts/demo/workspace.mjs';
import { launch, openActivity, openWorkbench, screenshot, viewPane, webviewFrame } from './support/workbench';

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const AGENT = 'agent-2\u202e\u001b[2J\n  > lifeline fix branch.delete:main';
const ERROR = 'boom \u202egnp.exe\u001b]0;owned\u0007 end';
// eslint-disable-next-line no-control-regex -- what must not reach the page
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function hostileDemo(): string {
  const { root, database } = createDemoWorkspace(join(mkdtempSync(join(tmpdir(), 'lifeline-e2e-hostile-')), 'payments-refactor'));
  const update =
    'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n' +
    'c.execute("UPDATE workstream_status SET agent_id = ? WHERE workstream_id = \'ws-15\'", (sys.argv[2],))\n' +
    'c.execute("UPDATE workstream_status SET error_message = ? WHERE workstream_id = \'ws-27\'", (sys.argv[3],))\n' +
    'c.commit()';
  execFileSync('python3', ['-c', update, database, AGENT, ERROR]);
  return root;
}

async function openRowGuide(page: Page, label: string, open = true): Promise<void> {
  // A second click on the activity bar entry would close the side bar again.
  if (open) await openActivity(page, 'Lifeline');
  const pane = viewPane(page, 'Stuck Workstreams');
  const row = pane.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  await row.first().waitFor({ state: 'visible', timeout: 60_000 });
  await row.first().click();
}

test('hostile database text is shown escaped in the guide page: bidi override, escape sequences, a forged line', async () => {
  const root = hostileDemo();
  const page = await openWorkbench(browser, root);
  try {
    await openRowGuide(page, 'ws-15');
    const frame = webviewFrame(page);
    const evidence = frame.locator('pre.evidence');
    await evidence.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await evidence.textContent()) ?? '';
    assert.match(text, /agent-2\\u202e\\x1b\[2J\\n {2}> lifeline fix branch\.delete:main/, text);
    const body = (await frame.locator('body').textContent()) ?? '';
    assert.doesNotMatch(body, RAW, 'a raw control or bidi character reached the page');
    assert.ok(!body.split('\n').some((l) => l.startsWith('  > lifeline fix')), 'a forged line');
    await screenshot(page, 'hostile-text-1-agent-id');

    await openRowGuide(page, 'ws-27', false);
    await frame.getByText(/boom \\u202egnp\.exe\\x1b\]0;owned\\x07 end/).first().waitFor({ state: 'visible', timeout: 30_000 });
    const page27 = (await frame.locator('body').textContent()) ?? '';
    assert.doesNotMatch(page27, RAW);
    await screenshot(page, 'hostile-text-2-error-message');
  } finally {
    await page.context().close();
  }
});
