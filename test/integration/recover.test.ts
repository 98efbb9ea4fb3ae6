// "Lifeline: Recover from Failure": the quick pick lists the failures noticed in this window
// (newest first, each with its evidence line), then every built-in playbook under its category;
// accepting the first item opens the guide for the newest failure; dismissing it returns.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { delay, lifeline, readChannelLog, waitFor, within } from './support';
import { closeAllEditors, lifeline as lifelineApi } from './editor-helpers';
import type { Detections, NewDetection } from '../../src/editor/detections';
import { recoverItems } from '../../src/editor/recover-command';

/** id -> category, read straight from playbooks/*.yaml (not through the loader under test). */
function builtInPlaybooks(): Map<string, string> {
  const dir = join(lifeline().extensionPath, 'playbooks');
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const id = /^id:\s*['"]?([\w.-]+)/m.exec(text)?.[1];
    const category = /^category:\s*['"]?([\w .-]+?)['"]?\s*$/m.exec(text)?.[1];
    assert.ok(id && category, `${f}: no id or category`);
    out.set(id, category);
  }
  return out;
}

/** Runs a quick-input command repeatedly until `done` settles: the pick opens asynchronously. */
async function pressUntilSettled(command: string, done: Thenable<unknown>, timeoutMs: number): Promise<void> {
  let settled = false;
  void Promise.resolve(done).then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + timeoutMs;
  while (!settled && Date.now() < deadline) {
    await vscode.commands.executeCommand(command);
    await delay(150);
  }
}

/** Earlier suites noticed failures of their own: each test starts with none open. */
function closeAll(detections: Detections): void {
  for (const d of detections.list()) detections.close(d.fingerprint);
}

function failure(over: Partial<NewDetection> & Pick<NewDetection, 'scenario' | 'title' | 'fingerprint' | 'source'>): NewDetection {
  return { evidence: [{ text: `evidence of ${over.fingerprint}` }], at: new Date(), ...over };
}

suite('Recover from Failure', () => {
  suiteSetup(async () => {
    await lifeline().activate();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closeAllEditors();
  });

  test('lists the open failures newest first with their evidence line, then every playbook under its category', async () => {
    const api = await lifelineApi();
    const features = await api.features();
    closeAll(api.detections);
    const locked = failure({ scenario: 'db-locked', title: 'Database is locked', fingerprint: 'it-recover-locked', source: 'task', evidence: [{ text: 'sqlite3.OperationalError: database is locked (it-recover)', line: 4 }] });
    const imports = failure({ scenario: 'import-error', title: 'Import error', fingerprint: 'it-recover-import', source: 'terminal', commandLine: 'python app.py', evidence: [{ text: "ModuleNotFoundError: No module named 'it_recover'" }] });
    const tests = failure({ scenario: 'test-failure', title: 'Tests failed', fingerprint: 'it-recover-tests', source: 'test', evidence: [{ text: 'test_add: assert -1 == 5' }] });
    const gone = failure({ scenario: 'port-conflict', title: 'Port in use', fingerprint: 'it-recover-gone', source: 'terminal' });
    api.detections.add(locked);
    api.detections.add(imports);
    api.detections.add(gone);
    api.detections.add(tests);
    api.detections.close(gone.fingerprint);
    api.detections.add({ ...locked, at: new Date() }); // seen again: now the newest

    const items = recoverItems(api.detections.list(), await features.catalog.all());

    // The noticed failures: newest first, the closed one left out, each with its evidence line.
    assert.equal(items[0]?.kind, vscode.QuickPickItemKind.Separator);
    assert.equal(items[0]?.label, 'Noticed in this window');
    const noticed = items.slice(1, items.findIndex((it, i) => i > 0 && it.kind === vscode.QuickPickItemKind.Separator));
    assert.deepEqual(
      noticed.map((it) => [it.detection?.fingerprint, it.playbookId, it.label, it.description, it.detail]),
      [
        ['it-recover-locked', 'db-locked', '$(warning) Database is locked', 'task · just now · seen 2 times', 'sqlite3.OperationalError: database is locked (it-recover)'],
        ['it-recover-tests', 'test-failure', '$(warning) Tests failed', 'test report · just now', 'test_add: assert -1 == 5'],
        ['it-recover-import', 'import-error', '$(warning) Import error', 'terminal: python app.py · just now', "ModuleNotFoundError: No module named 'it_recover'"],
      ],
    );

    // Then every built-in playbook, once, under the separator of its own category.
    const expected = builtInPlaybooks();
    const rest = items.slice(1 + noticed.length);
    const underCategory = new Map<string, string>();
    const categories: string[] = [];
    let category: string | undefined;
    for (const it of rest) {
      if (it.kind === vscode.QuickPickItemKind.Separator) {
        category = it.label;
        categories.push(it.label);
        continue;
      }
      assert.ok(it.playbookId, `"${it.label}" opens no guide`);
      assert.ok(!it.detection, `"${it.label}" is a noticed failure listed among the playbooks`);
      assert.ok(!underCategory.has(it.playbookId), `${it.playbookId} is listed twice`);
      assert.equal(it.description, it.playbookId);
      underCategory.set(it.playbookId, category ?? '(no separator)');
    }
    assert.deepEqual([...underCategory.keys()].sort(), [...expected.keys()].sort(), 'every built-in playbook is listed');
    for (const [id, cat] of expected) assert.equal(underCategory.get(id), cat, `${id} is listed under "${underCategory.get(id)}", not its category "${cat}"`);
    assert.deepEqual(categories, [...new Set(expected.values())].sort((a, b) => a.localeCompare(b)), 'one separator per category, in order');
  });

  test('accepting the first item opens the guide for the newest noticed failure, with its evidence', async () => {
    const api = await lifelineApi();
    const features = await api.features();
    closeAll(api.detections);
    api.detections.add(failure({ scenario: 'db-locked', title: 'Database is locked', fingerprint: 'it-recover-older', source: 'terminal' }));
    api.detections.add(failure({ scenario: 'import-error', title: 'Import error', fingerprint: 'it-recover-newest', source: 'task', evidence: [{ text: "ModuleNotFoundError: No module named 'it_newest'" }] }));
    const before = readChannelLog();
    const running = vscode.commands.executeCommand('lifeline.recover');
    await pressUntilSettled('workbench.action.acceptSelectedQuickOpenItem', running, 15_000);
    await within('lifeline.recover after accepting an item', running, 5_000);
    const chosen = await waitFor('the choice in the Lifeline log', () => /recover: chose (.+)/.exec(readChannelLog().slice(before.length))?.[1]);
    assert.equal(chosen.trim(), 'import-error (noticed failure)');
    const panel = await waitFor('its guide', () => features.panels.panels.find((p) => p.session.state.trigger?.fingerprint === 'it-recover-newest'));
    assert.equal(panel.playbook.id, 'import-error');
    assert.equal(panel.session.state.trigger?.source, 'task');
    assert.equal(panel.session.state.trigger?.evidence[0]?.text, "ModuleNotFoundError: No module named 'it_newest'");
  });

  test('with nothing noticed, the first entry classifies copied output and opens its guide', async () => {
    const api = await lifelineApi();
    const features = await api.features();
    closeAll(api.detections);
    await vscode.env.clipboard.writeText('Traceback (most recent call last):\nsqlite3.OperationalError: database is locked (it-recover-clipboard)');
    const before = readChannelLog();
    const running = vscode.commands.executeCommand('lifeline.recover');
    await pressUntilSettled('workbench.action.acceptSelectedQuickOpenItem', running, 15_000);
    await within('lifeline.recover after accepting an item', running, 5_000);
    assert.match(readChannelLog().slice(before.length), /classify clipboard: db-locked/);
    const panel = await waitFor('the guide', () => features.panels.panels.find((p) => p.session.state.trigger?.source === 'clipboard'));
    assert.equal(panel.playbook.id, 'db-locked');
    assert.match(panel.session.state.trigger?.evidence[0]?.text ?? '', /database is locked \(it-recover-clipboard\)/);
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
