// The extension loads in a real VS Code, stays dormant until used, activates cleanly and
// registers every command its manifest contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lifeline } from './support';

interface ManifestCommand {
  command: string;
}

suite('Activation', () => {
  test('is loaded but not active before any Lifeline feature is used (lazy activation)', () => {
    const ext = lifeline();
    assert.equal(ext.isActive, false, 'Lifeline activated on its own in a plain workspace: check activationEvents');
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*'), 'activationEvents must not contain "*"');
  });

  test('activates without error', async () => {
    const ext = lifeline();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('registers every command contributed in package.json', async () => {
    await lifeline().activate();
    const contributed: ManifestCommand[] = lifeline().packageJSON.contributes?.commands ?? [];
    assert.ok(contributed.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
    assert.ok(registered.has('lifeline.recover'));
  });
});
