// On the demo's crashed orchestration, after workstreams-fixups (file-name order; it leaves a
// journal with undone fix-ups, their undo entries and a prune): every place says what a fix-up
// does the same way (the tree's "Fix..." pick, the guide's badge), Undo is offered only where the
// journal can take the change back, and "Undo a Fix-up..." lists only entries that can still be
// undone. Quick picks are answered by replacing window.showQuickPick for the test's duration.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { answerQuickPicks, closeAllEditors, lifeline, waitFor } from '../editor-helpers';
import type { WorkstreamNode } from '../../../src/editor/tree/workstreams-provider';
import type { LifelineApi } from '../../../src/extension';
import type { RecoveryPanel } from '../../../src/editor/webview/recovery-panel';
import { panelStrings } from '../../../src/editor/webview/panel-view';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const git = (...args: string[]) => execFileSync('git', args, { cwd: root(), encoding: 'utf8' });

function pyStatus(id: string): string {
  const code = 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(c.execute("SELECT status FROM workstream_status WHERE workstream_id = ?", (sys.argv[2],)).fetchone()[0])';
  return execFileSync('python3', ['-c', code, join(root(), '.state', 'orchestration.db'), id], { encoding: 'utf8' }).trim();
}

async function row(api: LifelineApi, match: (n: WorkstreamNode) => boolean): Promise<WorkstreamNode> {
  api.workstreams.refresh();
  return waitFor('the row', async () => {
    await waitFor('a fresh diagnosis', () => api.workstreams.lastDiagnosis);
    for (const g of await api.workstreams.getChildren()) {
      const hit = (await api.workstreams.getChildren(g)).find(match);
      if (hit) return hit;
    }
    return undefined;
  });
}

const ws15 = (n: WorkstreamNode) => n.type === 'row' && n.row.finding.subject === 'ws-15' && n.row.finding.kind === 'stuck-workstream';

async function confirmPanel(api: LifelineApi): Promise<RecoveryPanel> {
  const features = await api.features();
  return waitFor('the fix-up preview', () => features.panels.panels.find((p) => p.session.state.pending.kind === 'confirm' && p.session.state.pending.preview));
}

suite('orchestration: honest effects and undo', () => {
  // The view fills only once shown; this suite also runs alone (LIFELINE_TEST_GREP).
  suiteSetup(() => vscode.commands.executeCommand('workbench.view.extension.lifeline'));
  teardown(closeAllEditors);

  test('Fix... on ws-15 labels each fix-up with its effect: none of the writing ones is called read-only', async () => {
    const api = await lifeline();
    const node = await row(api, ws15);
    const picks = answerQuickPicks(() => undefined);
    try {
      await vscode.commands.executeCommand('lifeline.workstreams.fix', node);
    } finally {
      picks.restore();
    }
    assert.equal(picks.seen.length, 1);
    const byAction = Object.fromEntries(picks.seen[0]!.items.map((i) => [String((i.action as { id: string }).id).split(':')[0], i.description]));
    assert.deepEqual(byAction, {
      'worktree.save-wip': 'reversible: backed up, can be undone',
      'branch.merge': 'reversible: backed up, can be undone',
      'workstream.mark-failed': 'reversible: backed up, can be undone',
      'workstream.mark-pending': 'reversible: backed up, can be undone',
      'worktree.remove': 'may discard work: the preview lists it before anything runs',
    });
  });

  test('the guide badge says reversible and where to undo; after Undo the change is shown undone and the path steps back', async () => {
    const api = await lifeline();
    const strings = panelStrings(vscode.l10n.t);
    await vscode.commands.executeCommand('lifeline.workstreams.markFailed', await row(api, ws15));
    const panel = await confirmPanel(api);
    const view = panel.view();
    assert.ok(view.current.kind === 'confirm' && view.current.preview);
    const preview = view.current.preview;
    assert.equal(preview.effect, 'reversible');
    assert.match(strings.reversible, /^Reversible: backed up first; the Undo button \(or Lifeline: Undo a Fix-up\.\.\.\) restores it$/);
    assert.ok(preview.notes.every((n) => !/lifeline undo|`/.test(n)), `a note points to the CLI: ${preview.notes.join(' | ')}`);
    // The row before -> after, the changed columns first.
    const sql = preview.sql[0]!;
    assert.deepEqual(sql.columns.slice(0, sql.changedColumns), ['status', 'error_message']);
    assert.deepEqual([sql.rows[0]![0], sql.after?.[0]?.[0]], ['running', 'failed']);

    await panel.request({ type: 'confirm', requestId: 1, nodeId: panel.session.state.current, discard: false });
    const done = await waitFor('the fix-up', () => panel.view().actions.find((a) => a.ok));
    assert.equal(done.undoable, true);
    assert.equal(pyStatus('ws-15'), 'failed');
    await panel.request({ type: 'undo', requestId: 2, journalId: done.journalId! });
    assert.equal(pyStatus('ws-15'), 'running');
    const after = await waitFor('the step back', () => {
      const v = panel.view();
      return v.current.kind === 'confirm' && v.current.preview ? v : undefined;
    });
    assert.equal(after.actions[0]!.undoable, false);
    assert.ok(after.actions[0]!.undone);
    assert.ok(after.path.every((p) => !/^done: /.test(p.outcome)), `the path still says done: ${JSON.stringify(after.path)}`);
  });

  test('a prune is irreversible: its badge says so, no Undo is offered, and asking anyway gets a sentence, not a journal id', async () => {
    const api = await lifeline();
    const strings = panelStrings(vscode.l10n.t);
    const path = join(root(), '.worktrees', 'effects-gone');
    git('worktree', 'add', '-q', '-b', 'tmp/effects-gone', path);
    rmSync(path, { recursive: true, force: true });
    try {
      const node = await row(api, (n) => n.type === 'row' && n.row.finding.kind === 'prunable-worktree' && n.row.finding.subject.endsWith('effects-gone'));
      await vscode.commands.executeCommand('lifeline.workstreams.prune', node);
      const panel = await confirmPanel(api);
      const view = panel.view();
      assert.ok(view.current.kind === 'confirm' && view.current.preview);
      assert.equal(view.current.preview.effect, 'irreversible');
      assert.match(strings.irreversible, /cannot be undone/);
      assert.doesNotMatch(strings.irreversible, /backed up first/);
      await panel.request({ type: 'confirm', requestId: 1, nodeId: panel.session.state.current, discard: false });
      const done = await waitFor('the prune', () => panel.view().actions.find((a) => a.ok));
      assert.ok(done.journalId, 'the prune is journaled');
      assert.equal(done.undoable, false, 'no Undo button after a prune');
      await assert.rejects(panel.request({ type: 'undo', requestId: 2, journalId: done.journalId! }), (e: Error) => /cannot be undone/.test(e.message) && !/\d{8}T\d{9}Z/.test(e.message));
    } finally {
      execFileSync('git', ['branch', '-D', 'tmp/effects-gone'], { cwd: root() });
    }
  });

  test('Undo a Fix-up... lists only entries that can still be undone: never an undo entry, an undone change or a prune', async () => {
    const api = await lifeline();
    const features = await api.features();
    const fixups = await features.fixups();
    await vscode.commands.executeCommand('lifeline.workstreams.markPending', await row(api, ws15));
    const panel = await confirmPanel(api);
    await panel.request({ type: 'confirm', requestId: 1, nodeId: panel.session.state.current, discard: false });
    const fresh = await waitFor('the fix-up', () => panel.session.state.actions.find((a) => a.ok && a.journalId));
    const journal = await fixups.journal();
    assert.ok(journal.some((e) => e.undoOf), 'the journal holds an undo entry (from the tests above)');
    assert.ok(journal.some((e) => e.actionId === 'worktree.prune'), 'and a prune');

    const picks = answerQuickPicks(() => undefined);
    try {
      await vscode.commands.executeCommand('lifeline.undoFixup');
    } finally {
      picks.restore();
    }
    const offered = picks.seen[0]!.items.map((i) => i.entry as { id: string; title: string; actionId: string; undone?: string; undoOf?: string });
    assert.equal(offered[0]!.id, fresh.journalId, 'the newest fix-up comes first');
    for (const e of offered) {
      assert.equal(e.undoOf, undefined, `an undo entry is offered: ${e.title}`);
      assert.doesNotMatch(e.title, /^Undo: /);
      assert.equal(e.undone, undefined, `an undone entry is offered: ${e.title}`);
      assert.notEqual(e.actionId, 'worktree.prune');
    }
    // Put ws-15 back as the next suites expect it.
    const result = await fixups.undo(fresh.journalId!);
    assert.equal(result.ok, true, result.message);
    assert.equal(pyStatus('ws-15'), 'running');
  });
});
