// First contact in the real extension host (issue 10): the Stuck Workstreams view welcomes a
// folder without git, or without commits, instead of showing an error; the welcomes carry no
// literal Markdown; counts are named with real plural forms; Open Demo Guide opens the crashed
// orchestration's guide; one guide tab per subject.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, EXTENSION_ID, lifeline, waitFor } from './editor-helpers';
import type { Diagnosis } from '../../src/core/engine/workspace-fixups';
import { workstreamProblems } from '../../src/editor/tree/register-workstreams';

async function diagnosed(api: Awaited<ReturnType<typeof lifeline>>, want: (d: Diagnosis) => boolean): Promise<Diagnosis> {
  const next = new Promise<Diagnosis>((resolve) => {
    const sub = api.workstreams.onDidLoad((d) => {
      if (!want(d)) return;
      sub.dispose();
      resolve(d);
    });
  });
  api.workstreams.refresh();
  await api.workstreams.getChildren();
  return within(next, 15_000, 'a diagnosis');
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);
}

suite('editor: first contact', () => {
  teardown(closeAllEditors);

  test('a folder without git, then without commits, gets its own welcome and no error; a repository gets the usual one back', async () => {
    const api = await lifeline();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    await vscode.commands.executeCommand('workbench.view.extension.lifeline');
    const gitDir = join(root, '.git');
    const saved = join(root, '.git-saved-by-first-contact-test');
    renameSync(gitDir, saved);
    try {
      const plain = await diagnosed(api, (d) => d.folder === 'not-git' || d.error !== undefined);
      assert.equal(plain.error, undefined, `an error instead of the welcome: ${plain.error}`);
      assert.equal(plain.folder, 'not-git');
      assert.deepEqual(await api.workstreams.getChildren(), []);

      execFileSync('git', ['init', '--quiet'], { cwd: root });
      const fresh = await diagnosed(api, (d) => d.folder === 'no-commits' || d.error !== undefined);
      assert.equal(fresh.error, undefined, `an error instead of the welcome: ${fresh.error}`);
      assert.equal(fresh.folder, 'no-commits');
    } finally {
      rmSync(gitDir, { recursive: true, force: true });
      renameSync(saved, gitDir);
    }
    const back = await diagnosed(api, (d) => d.folder === undefined);
    assert.equal(back.error, undefined);

    // Each state has its welcome, and none shows Markdown a welcome does not render.
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const welcomes: { when: string; contents: string }[] = ext.packageJSON.contributes.viewsWelcome;
    const nls = JSON.parse(readFileSync(join(ext.extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const text = (w: { contents: string }) => nls[w.contents.replace(/^%|%$/g, '')] ?? w.contents;
    for (const state of ['not-git', 'no-commits']) {
      const w = welcomes.find((x) => x.when === `lifeline.folderKind == ${state}`);
      assert.ok(w, `no welcome for ${state}`);
      assert.match(text(w), /classif|Problems|guide/i, `${state}: says what Lifeline can do there`);
    }
    for (const w of welcomes) {
      const words = text(w).replace(/\[[^\]]+\]\(command:[^)]+\)/g, '');
      assert.doesNotMatch(words, /[`*_]|\]\(/, `literal Markdown in the welcome: ${words}`);
    }
  });

  test('counts are named, with plural forms: the status bar says failures, the badge workstream problems', async () => {
    const api = await lifeline();
    for (const d of api.detections.list()) api.detections.close(d.fingerprint);
    const add = (n: number) =>
      api.detections.add({ scenario: 'db-locked', title: 'Database is locked', fingerprint: `it-first-contact-${n}`, source: 'terminal', evidence: [{ text: `database is locked (${n})` }], at: new Date() });
    add(1);
    assert.equal(api.statusBar.text, '$(warning) Lifeline: 1 failure');
    assert.match(String(api.statusBar.tooltip), /^1 failure noticed in this window — Recover from Failure/);
    assert.equal(api.statusBar.accessibilityInformation?.label, 'Lifeline, 1 open failure. Recover from failure.');
    add(2);
    assert.equal(api.statusBar.text, '$(warning) Lifeline: 2 failures');
    assert.match(String(api.statusBar.tooltip), /^2 failures noticed in this window/);
    assert.doesNotMatch(`${api.statusBar.text} ${String(api.statusBar.tooltip)}`, /\(s\)/);
    for (const d of api.detections.list()) api.detections.close(d.fingerprint);
    assert.equal(workstreamProblems(1), '1 workstream problem');
    assert.equal(workstreamProblems(6), '6 workstream problems');
  });

  test('Open Demo Guide opens the crashed orchestration guide', async () => {
    const api = await lifeline();
    const features = await api.features();
    await vscode.commands.executeCommand('lifeline.openDemoGuide');
    const panel = await waitFor('the demo guide', () => features.panels.panels.find((p) => p.session.state.trigger?.fingerprint === 'demo'));
    assert.equal(panel.playbook.id, 'orchestrator-crash');
    assert.ok(panel.session.state.trigger?.evidence.some((e) => /orchestrator/.test(e.text)));
  });

  test('one guide tab per subject: the same guide comes forward, another guide about the same subject takes over its tab', async () => {
    const api = await lifeline();
    const features = await api.features();
    await closeAllEditors();
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
    const first = await features.panels.openGuide('db-locked', { subject: 'ws-tab', trigger: { source: 'terminal', at: new Date().toISOString(), evidence: [], fingerprint: 'it-tab-1' } });
    await waitFor('one tab', () => tabs().length === 1);
    // The same guide about the same subject, from another sighting: the same panel, no new tab.
    const again = await features.panels.openGuide('db-locked', { subject: 'ws-tab', trigger: { source: 'terminal', at: new Date().toISOString(), evidence: [], fingerprint: 'it-tab-2' } });
    assert.equal(again, first);
    // Another guide about the same subject: still one tab, now showing that guide.
    const other = await features.panels.openGuide('agent-hang', { subject: 'ws-tab' });
    assert.ok(other && other !== first);
    await waitFor('the first guide to give up its tab', () => !features.panels.panels.includes(first!));
    assert.equal(features.panels.panels.filter((p) => p.session.state.subject === 'ws-tab').length, 1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(tabs().length, 1, `tabs: ${tabs().map((t) => t.label).join(', ')}`);
    assert.match(tabs()[0]!.label, /Agent hung/);
    // A different subject has a tab of its own.
    await features.panels.openGuide('agent-hang', { subject: 'ws-other' });
    await waitFor('a second tab', () => tabs().length === 2);
  });
});
