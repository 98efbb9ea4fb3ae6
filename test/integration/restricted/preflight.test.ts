// "Lifeline: Preflight Check" in Restricted Mode: it only diagnoses, so it runs (no trust prompt,
// no refusal), offers the demo's blockers and opens the picked one's guide, and not one byte of the
// workspace changes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answerQuickPicks, lifeline, waitFor, workspaceDigest } from '../editor-helpers';
import type { PreflightCheck } from '../../../src/core/engine/preflight';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

suite('restricted: preflight check', () => {
  test('runs in an untrusted workspace, offers the blockers and opens the picked guide; nothing changes', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this host run opens the folder in Restricted Mode');
    const api = await lifeline();
    const features = await api.features();
    const before = workspaceDigest(root());
    const opened = new Set(features.panels.panels);
    const picks = answerQuickPicks((p) => p.items.find((i) => (i.check as PreflightCheck).id === 'prunable-worktrees'));
    try {
      await vscode.commands.executeCommand('lifeline.preflight');
    } finally {
      picks.restore();
    }
    assert.equal(picks.seen.length, 1, 'the blockers were offered');
    const ids = picks.seen[0]!.items.map((i) => (i.check as PreflightCheck).id);
    assert.ok(ids.includes('dependency-cycles') && ids.includes('prunable-worktrees'), ids.join(', '));
    const panel = await waitFor('the worktree-corruption guide', () => features.panels.panels.find((p) => !opened.has(p) && p.session.state.playbookId === 'worktree-corruption'));
    assert.equal(panel.session.state.trigger?.fingerprint, 'preflight:prunable-worktrees');
    assert.deepEqual(workspaceDigest(root()), before, 'the preflight check changed the workspace');
  });
});
