// The extension loads in a real VS Code, declares the activation events it is meant to have,
// activates cleanly and registers every command its manifest contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lifeline } from './support';

interface ManifestCommand {
  command: string;
}

suite('Activation', () => {
  // Lifeline activates once startup has finished (activation itself is cheap; the heavy parts
  // load at first use), so whether it is already active when a test looks is a race: the
  // manifest is what can be checked.
  test('declares exactly its intended activation events, never "*"', () => {
    const ext = lifeline();
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*'), 'activationEvents must not contain "*"');
    assert.deepEqual([...events].sort(), ['onStartupFinished', 'onTaskType:lifeline', 'onWebviewPanel:lifeline.recovery']);
    // The task event names the task type the manifest defines.
    const taskTypes = (ext.packageJSON.contributes?.taskDefinitions ?? []).map((t: { type: string }) => t.type);
    assert.ok(taskTypes.includes('lifeline'), 'onTaskType:lifeline names a task type the manifest does not define');
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
