// "Lifeline: Preflight Check" on the demo's crashed orchestration: not clear (the specs' ws-22 <->
// ws-31 cycle, ws-27's deleted worktree, ws-08's leftover one), so it offers the blockers' lines,
// the same the core's preflight gives, and picking one opens that blocker's guide. Looking changes
// nothing in the workspace.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answerQuickPicks, closeAllEditors, lifeline, waitFor, workspaceDigest } from '../editor-helpers';
import type { PreflightCheck } from '../../../src/core/engine/preflight';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

suite('orchestration: preflight check', () => {
  teardown(closeAllEditors);

  test('the blockers are offered as their lines; picking the dependency cycle opens its guide; nothing changes', async () => {
    const api = await lifeline();
    const features = await api.features();
    const report = await (await features.fixups()).preflight();
    assert.equal(report.clear, false, 'the demo is no workspace to launch agents in');
    const blockers = report.checks.filter((c) => !c.ok);
    const cycle = blockers.find((c) => c.id === 'dependency-cycles');
    assert.ok(cycle, `blockers: ${blockers.map((c) => c.line).join(' | ')}`);
    assert.match(cycle.line, /ws-22 -> ws-31 -> ws-22/);
    assert.ok(blockers.some((c) => c.id === 'prunable-worktrees' && /agent-3-ws-27/.test(c.line)), 'ws-27 deleted worktree is prunable');

    const before = workspaceDigest(root());
    const opened = new Set(features.panels.panels);
    const picks = answerQuickPicks((p) => p.items.find((i) => (i.check as PreflightCheck).id === 'dependency-cycles'));
    try {
      await vscode.commands.executeCommand('lifeline.preflight');
    } finally {
      picks.restore();
    }
    assert.equal(picks.seen.length, 1);
    const offered = picks.seen[0]!;
    assert.deepEqual(
      offered.items.map((i) => (i.check as PreflightCheck).line),
      blockers.map((c) => c.line),
      'the quick pick offers exactly the blockers, in the checklist order',
    );
    assert.ok(offered.items.every((i) => i.label.startsWith('$(error) ')));
    assert.match(offered.title ?? '', new RegExp(`${blockers.length} blockers`));
    const panel = await waitFor('the dependency-cycle guide', () => features.panels.panels.find((p) => !opened.has(p) && p.session.state.playbookId === 'dependency-cycle'));
    assert.equal(panel.session.state.trigger?.fingerprint, 'preflight:dependency-cycles');
    assert.equal(panel.session.state.trigger?.evidence[0]?.text, cycle.line);
    assert.deepEqual(workspaceDigest(root()), before, 'the preflight check changed the workspace');
  });

  test('dismissing the quick pick opens no guide', async () => {
    const api = await lifeline();
    const features = await api.features();
    const opened = features.panels.panels.length;
    const picks = answerQuickPicks(() => undefined);
    try {
      await vscode.commands.executeCommand('lifeline.preflight');
    } finally {
      picks.restore();
    }
    assert.equal(picks.seen.length, 1);
    assert.equal(features.panels.panels.length, opened);
  });
});
