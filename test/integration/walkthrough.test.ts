// The Getting Started walkthrough: every step's page ships with the extension, every command a
// step links to is one the running extension registered, and VS Code opens it.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { lifeline } from './support';

interface Step {
  id: string;
  description: string;
  media: { markdown?: string };
}

suite('Getting Started walkthrough', () => {
  test('every step has its page and links only to registered commands; VS Code opens it', async () => {
    const ext = lifeline();
    await ext.activate();
    const walkthroughs: { id: string; steps: Step[] }[] = ext.packageJSON.contributes?.walkthroughs ?? [];
    assert.equal(walkthroughs.length, 1);
    const steps = walkthroughs[0]!.steps;
    assert.ok(steps.length >= 4, 'a walkthrough with a handful of steps');
    const strings = JSON.parse(readFileSync(join(ext.extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const registered = new Set(await vscode.commands.getCommands(false));
    for (const step of steps) {
      assert.ok(step.media.markdown && existsSync(join(ext.extensionPath, step.media.markdown)), `${step.id}: its page ${step.media.markdown} is missing`);
      const description = strings[step.description.replace(/^%|%$/g, '')] ?? step.description;
      const linked = [...description.matchAll(/\(command:([\w.-]+)/g)].map((m) => m[1]!);
      assert.ok(linked.length > 0, `${step.id}: no command to try`);
      for (const id of linked) assert.ok(registered.has(id), `${step.id} links to ${id}, which is not registered`);
    }
    // No editor open before, so the tab that shows afterwards is the one the command opened.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, 0);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${ext.id}#${walkthroughs[0]!.id}`, false);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.match(tab?.label ?? '', /Welcome|Get started|Walkthrough|Lifeline/i);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
