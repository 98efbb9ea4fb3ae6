// "Lifeline: Recover from Failure" opens a quick pick of the built-in playbooks; accepting an
// item reaches the extension, dismissing it returns.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { delay, lifeline, readChannelLog, waitFor, within } from './support';

/** Playbook ids read straight from playbooks/*.yaml (not through the loader under test). */
function builtInPlaybookIds(): string[] {
  const dir = join(lifeline().extensionPath, 'playbooks');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .map((f) => /^id:\s*['"]?([\w.-]+)/m.exec(readFileSync(join(dir, f), 'utf8'))?.[1])
    .filter((id): id is string => Boolean(id));
}

/** Runs a quick-input command repeatedly until `done` settles: the pick opens asynchronously. */
async function pressUntilSettled(command: string, done: Thenable<unknown>, timeoutMs: number): Promise<void> {
  let settled = false;
  void Promise.resolve(done).then(() => (settled = true), () => (settled = true));
  const deadline = Date.now() + timeoutMs;
  while (!settled && Date.now() < deadline) {
    await vscode.commands.executeCommand(command);
    await delay(150);
  }
}

suite('Recover from Failure', () => {
  suiteSetup(async () => {
    await lifeline().activate();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  test('shows the built-in playbooks; accepting the first one is received by the extension', async () => {
    const ids = builtInPlaybookIds();
    assert.ok(ids.length > 0, 'no playbooks/*.yaml shipped with the extension');
    const before = readChannelLog();
    const running = vscode.commands.executeCommand('lifeline.recover');
    await pressUntilSettled('workbench.action.acceptSelectedQuickOpenItem', running, 15_000);
    await within('lifeline.recover after accepting an item', running, 5_000);
    const chosen = await waitFor('the choice in the Lifeline log', () => {
      const added = readChannelLog().slice(before.length);
      return /recover: chose (\S+)/.exec(added)?.[1];
    });
    assert.ok(ids.includes(chosen), `chose "${chosen}", which is not one of the built-in playbooks ${ids.join(', ')}`);
  });

  test('returns when the quick pick is dismissed', async () => {
    const before = readChannelLog();
    const running = vscode.commands.executeCommand('lifeline.recover');
    await pressUntilSettled('workbench.action.closeQuickOpen', running, 15_000);
    await within('lifeline.recover after Escape', running, 5_000);
    await delay(300);
    assert.doesNotMatch(readChannelLog().slice(before.length), /recover: chose/, 'dismissing must not choose a playbook');
  });
});
