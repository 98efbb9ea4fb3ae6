// On the demo's crashed orchestration (scripts/demo/workspace.mjs builds this host's workspace):
// the Stuck Workstreams view groups what the real fix-up engine finds, a fix-up started from the
// view is previewed and confirmed in the panel and changes the database as python3 reads it, a
// guide's checks answer themselves from git, and undo from the journal puts things back.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { answerQuickPicks, closeAllEditors, lifeline, waitFor } from '../editor-helpers';
import type { WorkstreamNode } from '../../../src/editor/tree/workstreams-provider';
import type { LifelineApi } from '../../../src/extension';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

function pyStatus(id: string): string {
  const code = 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(c.execute("SELECT status FROM workstream_status WHERE workstream_id = ?", (sys.argv[2],)).fetchone()[0])';
  return execFileSync('python3', ['-c', code, join(root(), '.state', 'orchestration.db'), id], { encoding: 'utf8' }).trim();
}

function gitWorktrees(): string {
  return execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: root(), encoding: 'utf8' });
}

/** The view's row for the stuck workstream ws-15, after a fresh diagnosis. */
async function stuckWs15(api: LifelineApi): Promise<WorkstreamNode> {
  api.workstreams.refresh();
  return waitFor('the ws-15 row', async () => {
    const [stuck] = await api.workstreams.getChildren();
    return stuck ? (await api.workstreams.getChildren(stuck)).find((n: WorkstreamNode) => n.type === 'row' && n.row.finding.subject === 'ws-15') : undefined;
  });
}

suite('orchestration: stuck workstreams and fix-ups on a crashed orchestration', () => {
  teardown(closeAllEditors);

  test('the view groups stuck, blocked (cycle marked), failed and worktree problems with their facts', async () => {
    const api = await lifeline();
    await vscode.commands.executeCommand('workbench.view.extension.lifeline');
    api.workstreams.refresh();
    const groups = await waitFor('the diagnosis', async () => {
      const g = await api.workstreams.getChildren();
      return api.workstreams.lastDiagnosis && g.length ? g : undefined;
    });
    assert.equal(api.workstreams.lastDiagnosis?.hasDatabase, true);
    // The status bar names both counts, so the badge's number is not mistaken for its own.
    const problems = api.workstreams.lastDiagnosis!.findings.length;
    await waitFor('the status bar to name the workstream problems', () => String(api.statusBar.tooltip).includes(`${problems} workstream problems in the Stuck Workstreams view`));
    const labels = groups.map((g) => String(api.workstreams.getTreeItem(g).label));
    assert.deepEqual(
      labels.map((l) => l.replace(/\s*\(\d+\)$/, '')),
      ['Stuck', 'Blocked', 'Failed', 'Worktree problems'],
    );
    const rows = async (i: number) => (await api.workstreams.getChildren(groups[i])).map((n: WorkstreamNode) => api.workstreams.getTreeItem(n));
    const stuck = await rows(0);
    assert.equal(stuck[0]!.label, 'ws-15');
    assert.match(String(stuck[0]!.description), /5 h · ws\/ws-15\/agent-2 · 1 ahead · no process/);
    // Its tooltip lists the facts in words, not as the engine's keys.
    const tip = (stuck[0]!.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(tip, /Ahead of main: 1/);
    assert.doesNotMatch(tip, /\b[a-z]+[A-Z]\w*: /, 'a camelCase fact key is shown');
    const blocked = await rows(1);
    assert.ok(blocked.some((r) => r.label === 'ws-22' && /cycle/.test(String(r.description))), 'the cycle is marked');
    assert.deepEqual((await rows(2)).map((r) => r.label), ['ws-27']);
  });

  test('Mark failed from the view: preview in the panel, confirmed there, python3 reads the row as failed; undo restores it', async () => {
    const api = await lifeline();
    const features = await api.features();
    const stuckRow = await stuckWs15(api);
    assert.equal(pyStatus('ws-15'), 'running');
    await vscode.commands.executeCommand('lifeline.workstreams.markFailed', stuckRow);
    const panel = await waitFor('the fix-up panel', () => features.panels.panels.find((p) => p.session.state.pending.kind === 'confirm'));
    const pending = panel.session.state.pending;
    assert.equal(pending.kind, 'confirm');
    if (pending.kind !== 'confirm') return;
    assert.equal(pending.target.action, 'workstream.mark-failed');
    assert.match(pending.preview!.sql![0]!.statement, /^UPDATE "workstream_status" SET status = 'failed'.*WHERE workstream_id = 'ws-15'$/);
    assert.equal(pyStatus('ws-15'), 'running', 'nothing changes before the user confirms');

    await panel.request({ type: 'confirm', requestId: 1, nodeId: panel.session.state.current, discard: false });
    const record = await waitFor('the fix-up to finish', () => panel.session.state.actions.find((a) => a.actionId === 'workstream.mark-failed:ws-15'));
    assert.equal(record.ok, true, record.message);
    assert.equal(pyStatus('ws-15'), 'failed');
    assert.ok(record.journalId);

    await panel.request({ type: 'undo', requestId: 2, journalId: record.journalId! });
    assert.equal(pyStatus('ws-15'), 'running', 'undo restores the backup');
  });

  test('Undo a Fix-up... undoes a fix-up from the journal once confirmed, and the guide that made it shows it undone', async () => {
    const api = await lifeline();
    const features = await api.features();
    const stuckRow = await stuckWs15(api);
    await vscode.commands.executeCommand('lifeline.workstreams.markFailed', stuckRow);
    const panel = await waitFor('the fix-up panel', () => features.panels.panels.find((p) => p.session.state.pending.kind === 'confirm'));
    await waitFor('the preview', () => panel.session.state.pending.kind === 'confirm' && panel.session.state.pending.preview);
    await panel.request({ type: 'confirm', requestId: 1, nodeId: panel.session.state.current, discard: false });
    const record = await waitFor('the fix-up to finish', () => panel.session.state.actions.find((a) => a.actionId === 'workstream.mark-failed:ws-15' && a.journalId));
    assert.equal(pyStatus('ws-15'), 'failed');

    // The command asks twice (which entry, then "Undo"/"Cancel"); the answers are its first items:
    // the newest entry, then "Undo". (Accepting the quick pick through a command raced its items:
    // accepted before they were shown, it closed empty.)
    const picks = answerQuickPicks((p) => p.items[0]);
    try {
      await vscode.commands.executeCommand('lifeline.undoFixup');
    } finally {
      picks.restore();
    }
    assert.equal(picks.seen.length, 2, 'asked which entry, then whether to undo it');
    assert.equal((picks.seen[0]!.items[0] as { entry?: { id: string } }).entry?.id, record.journalId, 'the newest entry is offered first');
    assert.match(picks.seen[1]!.items[0]!.label, /Undo/);
    assert.equal(pyStatus('ws-15'), 'running', 'the backup was restored');
    // The guide that made the change, still open, shows it undone.
    assert.ok(panel.session.state.actions.find((a) => a.journalId === record.journalId)?.undone, 'the open guide knows');
    const entry = (await (await features.fixups()).journal()).find((e) => e.id === record.journalId);
    assert.ok(entry?.undone, 'the journal records the undo');
  });

  test('git worktree remove --force on a worktree with uncommitted work is warned about, its path read from where the command runs', async () => {
    const api = await lifeline();
    const f = await api.features();
    const forcedDirty = (line: string, cwd: string) => f.output.checkCommandLine(line, false, cwd).then((hits) => hits.filter((h) => h.scenario === 'worktree-corruption'));
    const fromRoot = await forcedDirty('git worktree remove --force .worktrees/agent-2-ws-15', root());
    assert.equal(fromRoot.length, 1);
    assert.match(fromRoot[0]!.reason, /uncommitted work.*--force deletes it/);
    // The same worktree named from inside .worktrees/ (a terminal cd'ed there).
    assert.equal((await forcedDirty('git worktree remove -f agent-2-ws-15', join(root(), '.worktrees'))).length, 1);
    // ... and through git -C, which git resolves the path from.
    assert.equal((await forcedDirty('git -C .worktrees worktree remove --force agent-2-ws-15', root())).length, 1);
    // A clean worktree (ws-08, merged) is not warned about; nor is a path that names no worktree from that folder.
    assert.deepEqual(await forcedDirty('git worktree remove --force .worktrees/agent-1-ws-08', root()), []);
    assert.deepEqual(await forcedDirty('git worktree remove --force agent-2-ws-15', root()), []);
  });

  test('the worktree guide answers its check from git, prunes after confirmation, and git agrees', async () => {
    const api = await lifeline();
    const features = await api.features();
    assert.match(gitWorktrees(), /agent-3-ws-27\nHEAD [0-9a-f]+\nbranch refs\/heads\/ws\/ws-27\/agent-3\nprunable/);
    const panel = await features.panels.openGuide('worktree-corruption', { trigger: { source: 'manual', at: new Date().toISOString(), evidence: [] } });
    assert.ok(panel);
    await waitFor('the prune preview', () => panel.session.state.current === 'prune' && panel.session.state.pending.kind === 'confirm');
    // Each broken worktree's workstream is looked at first (ws-27 is failed, not running), then git answers.
    const path = panel.session.state.path;
    assert.deepEqual(path.map((e) => e.nodeId), ['next-broken', 'still-running', 'next-broken', 'prunable']);
    assert.equal(path[1]!.title, 'Is ws-27, left on a broken worktree, still marked running?');
    assert.deepEqual(path[3]!.result, { type: 'check', probe: 'worktree.prunable', answer: 'yes', by: 'probe', detail: 'prunable: .worktrees/agent-3-ws-27' });
    const pending = panel.session.state.pending;
    assert.ok(pending.kind === 'confirm' && pending.preview?.git?.some((argv) => argv.join(' ') === 'worktree prune -v'));
    await panel.request({ type: 'confirm', requestId: 1, nodeId: 'prune', discard: false });
    await waitFor('the prune to finish', () => panel.session.state.actions.find((a) => a.actionId.startsWith('worktree.prune')));
    assert.doesNotMatch(gitWorktrees(), /agent-3-ws-27/);
    // Its commits stay reachable: the branch is still there.
    assert.match(execFileSync('git', ['branch', '--list', 'ws/ws-27/agent-3'], { cwd: root(), encoding: 'utf8' }), /ws\/ws-27\/agent-3/);
  });
});
