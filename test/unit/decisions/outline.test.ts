import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecoverySession, SessionError } from '../../../src/core/decisions/session';
import { outline, progress } from '../../../src/core/decisions/outline';
import type { OutlineEntry } from '../../../src/core/decisions/outline';
import { parsePlaybook } from '../../../src/core/playbooks/loader';
import type { Playbook } from '../../../src/core/playbooks/model';
import { ScriptedWorkspace, worktreePlaybook } from './fixtures';

function builtin(id: string): Playbook {
  const r = parsePlaybook(readFileSync(join(import.meta.dirname, '../../../playbooks', `${id}.yaml`), 'utf8'), `${id}.yaml`);
  if (!r.playbook) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.playbook;
}

/** One line per entry: indent, the edge label, the node, its status and markers. */
function lines(entries: OutlineEntry[]): string[] {
  return entries.map((e) => {
    const via = e.via ? `${e.via.kind === 'option' ? `"${e.via.label}"` : e.via.kind}: ` : '';
    const marks = [e.status, e.taken ? 'taken' : '', e.ref ? 'ref' : '', e.canGoBack ? 'back' : ''].filter(Boolean).join(',');
    return `${'  '.repeat(e.depth)}${via}${e.nodeId} [${marks}]`;
  });
}

test('the outline lists every node once, branches nested under their decision, loops and joins as references', () => {
  const p = worktreePlaybook();
  const s = RecoverySession.start(p, new ScriptedWorkspace(), { id: 's', subject: 'ws-15' });
  assert.deepEqual(lines(outline(p, s.state)), [
    'alive [current,taken]',
    '  yes: wait [ahead]',
    '    "Yes, it is still working": resolved [ahead]',
    '    "No, it is silent": dirty [ahead]',
    '      yes: save [ahead]',
    '        failure: manual [ahead]',
    // manual rejoins the fix-up's own line, which goes on under save
    '        mark [ahead,ref]',
    '      mark [ahead]',
    '      resolved [ahead,ref]',
    '      no: mark [ahead,ref]',
    '  no: dirty [ahead,ref]',
  ]);
  // Every node of the playbook is on the map.
  assert.deepEqual(new Set(outline(p, s.state).map((e) => e.nodeId)), new Set(p.nodes.map((n) => n.id)));
});

test('after a walk the outline marks visited nodes, the edges taken, the branches not taken, and keeps the evidence', async () => {
  const p = worktreePlaybook();
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'yes', detail: 'pid 4242 in .worktrees/a' });
  const s = RecoverySession.start(p, ws, { id: 's', subject: 'ws-15' });
  ws.answers.set('worktree.dirty', { answer: 'no', detail: 'clean' });
  await s.advance();
  // alive (probe yes) -> wait (user chose "silent") -> dirty (probe no) -> mark (confirm)
  await s.choose('wait', 1);
  const o = outline(p, s.state);
  assert.deepEqual(lines(o), [
    'alive [visited,taken]',
    '  yes: wait [visited,taken,back]',
    '    "Yes, it is still working": resolved [ahead]',
    '    "No, it is silent": dirty [visited,taken]',
    '      yes: save [not-taken]',
    '        failure: manual [not-taken]',
    '        mark [current,ref]',
    '      mark [current]',
    '      resolved [ahead,ref]',
    '      no: mark [current,taken,ref]',
    '  no: dirty [visited,ref]',
  ]);
  const alive = o.find((e) => e.nodeId === 'alive')!;
  assert.deepEqual(alive.result, { type: 'check', probe: 'process.alive', answer: 'yes', by: 'probe', detail: 'pid 4242 in .worktrees/a' });
  assert.deepEqual(o.find((e) => e.nodeId === 'wait')!.result, { type: 'choice', index: 1, label: 'No, it is silent' });
});

test('progress counts the nodes passed and the shortest way left to a resolved end', async () => {
  const p = worktreePlaybook();
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  const s = RecoverySession.start(p, ws, { id: 's', subject: 'ws-15' });
  // At the start: alive -> wait -> resolved is the shortest way (2 edges).
  assert.deepEqual(progress(p, s.state), { step: 1, total: 3, ended: false });
  await s.advance(); // alive (no) -> dirty (yes) -> save, waiting for confirmation
  assert.equal(s.state.current, 'save');
  // save -> mark -> resolved
  assert.deepEqual(progress(p, s.state), { step: 3, total: 5, ended: false });
  await s.confirm('save');
  await s.confirm('mark');
  assert.equal(s.state.pending.kind, 'ended');
  assert.deepEqual(progress(p, s.state), { step: 5, total: 5, ended: true });
});

test('progress counts the shortest way to a resolved end from where the walk stands, and a declined fix-up leaves it where it was', async () => {
  const p = builtin('orchestrator-crash');
  const ws = new ScriptedWorkspace();
  ws.answers.set('workstream.has-commits', { answer: 'yes', detail: '1 commit' });
  const s = RecoverySession.start(p, ws, { id: 's', subject: 'ws-15' });
  // list-running, has-commits, already-failed, worktree-left, more-running, cleanup-worktrees, prune, manual-cleanup, restart, done
  assert.deepEqual(progress(p, s.state), { step: 1, total: 10, ended: false });
  await s.continueStep('list-running');
  await s.continueStep('inspect-branch');
  await s.choose('work-valid', 0);
  assert.equal(s.state.current, 'merge');
  // passed: list-running, has-commits, inspect-branch, work-valid; then merge, mark-completed, worktree-left,
  // more-running, cleanup-worktrees, prune, manual-cleanup, restart, done
  assert.deepEqual(progress(p, s.state), { step: 5, total: 13, ended: false });
  await s.decline('merge');
  // Declining is not escalation: the walk stays at the fix-up, and so does its progress.
  assert.equal(s.state.current, 'merge');
  assert.deepEqual(progress(p, s.state), { step: 5, total: 13, ended: false });
});

test('the map offers going back only to decisions the user made, and goBack returns there and drops the path after it', async () => {
  const p = builtin('orchestrator-crash');
  const ws = new ScriptedWorkspace();
  ws.answers.set('workstream.has-commits', { answer: 'yes', detail: '1 commit main lacks' });
  ws.answers.set('workstream.failed', { answer: 'no' });
  const s = RecoverySession.start(p, ws, { id: 's', subject: 'ws-15' });
  await s.continueStep('list-running');
  await s.continueStep('inspect-branch');
  await s.choose('work-valid', 1); // discard -> mark-failed
  assert.equal(s.state.current, 'mark-failed');
  const back = outline(p, s.state).filter((e) => e.canGoBack && !e.ref).map((e) => e.nodeId);
  assert.deepEqual(back, ['list-running', 'inspect-branch', 'work-valid']);
  await assert.rejects(s.goBack('has-commits'), (e: unknown) => e instanceof SessionError && /not passed a decision/.test(e.message));
  await s.goBack('inspect-branch');
  assert.equal(s.state.current, 'inspect-branch');
  assert.equal(s.state.pending.kind, 'step');
  assert.deepEqual(s.state.path.map((e) => e.nodeId), ['list-running', 'has-commits']);
  // Going back to the first step re-runs the checks after it when the user moves on.
  await s.goBack('list-running');
  assert.deepEqual(s.state.path, []);
  await s.continueStep('list-running');
  assert.equal(s.state.current, 'inspect-branch');
});
