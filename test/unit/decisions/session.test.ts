import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecoverySession, SessionError, UNTRUSTED_REASON } from '../../../src/core/decisions/session';
import { FixupRefused } from '../../../src/core/fixups/types';
import { parsePlaybook } from '../../../src/core/playbooks/loader';
import { ScriptedWorkspace, WORKTREE_YAML, previewFor, worktreePlaybook } from './fixtures';

/** An action with a `skip` edge: declining it moves on without running it. */
function skipPlaybook() {
  const r = parsePlaybook(
    `lifeline: 1
id: skip-demo
title: Skip demo
severity: 2
failureType: error
recoverable: true
recoverableReason: test
nodes:
  - { id: remove, kind: action, title: Remove the worktree, action: worktree.remove, next: after, skip: after }
  - { id: after, kind: end, title: Done, outcome: resolved }
`,
    'skip-demo.yaml',
  );
  if (!r.playbook) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.playbook;
}

function start(ws: ScriptedWorkspace, subject = 'ws-15') {
  return RecoverySession.start(worktreePlaybook(), ws, { id: 's1', subject });
}

test('checks run by themselves and follow the probe answer to the next decision', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no', detail: 'no process in .worktrees/a' });
  ws.answers.set('worktree.dirty', { answer: 'yes', detail: '2 files changed' });
  const s = start(ws);
  await s.advance();
  assert.deepEqual(ws.calls, ['probe process.alive ws-15', 'probe worktree.dirty ws-15', 'preview worktree.save-wip ws-15']);
  const st = s.state;
  assert.equal(st.current, 'save');
  assert.equal(st.pending.kind, 'confirm');
  assert.deepEqual(
    st.path.map((p) => [p.nodeId, p.result.type === 'check' ? `${p.result.answer}/${p.result.by}/${p.result.detail}` : p.result.type]),
    [
      ['alive', 'no/probe/no process in .worktrees/a'],
      ['dirty', 'yes/probe/2 files changed'],
    ],
  );
  // Nothing ran: a preview is not an application.
  assert.equal(ws.applied.length, 0);
  // Observers saw the transient "checking" state before the answer.
  assert.ok(ws.states.some((x) => x.pending.kind === 'checking' && x.current === 'alive'));
});

test('an unknown answer with no unknown edge asks the user, and the answer is recorded as theirs', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'unknown', detail: 'cannot list processes' });
  const s = start(ws);
  await s.advance();
  assert.deepEqual(s.state.pending, { kind: 'ask', probe: 'process.alive', detail: 'cannot list processes' });
  await s.answer('alive', 'yes');
  assert.equal(s.state.current, 'wait');
  assert.equal(s.state.pending.kind, 'choice');
  const entry = s.state.path[0]!;
  assert.deepEqual(entry.result, { type: 'check', probe: 'process.alive', answer: 'yes', by: 'user', detail: 'cannot list processes' });
});

test('a probe that throws becomes a question for the user, with the reason', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', new Error('permission denied\nreading /proc'));
  const s = start(ws);
  await s.advance();
  const p = s.state.pending;
  assert.equal(p.kind, 'ask');
  assert.equal(p.kind === 'ask' && p.detail, 'the check failed: permission denied reading /proc');
});

test('a question follows the chosen option; an out-of-range option is refused', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'yes' });
  const s = start(ws);
  await s.advance();
  await assert.rejects(s.choose('wait', 5), (e: unknown) => e instanceof SessionError && /no option 5/.test(e.message));
  await s.choose('wait', 0);
  assert.deepEqual(s.state.pending, { kind: 'ended', outcome: 'resolved' });
  assert.equal(s.state.current, 'resolved');
  assert.deepEqual(s.state.path.at(-1)!.result, { type: 'choice', index: 0, label: 'Yes, it is still working' });
});

test('a confirmed fix-up is applied with the session subject and node params, then moves on', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'no' });
  const s = start(ws);
  await s.advance();
  assert.equal(s.state.current, 'mark');
  const pending = s.state.pending;
  assert.equal(pending.kind, 'confirm');
  assert.deepEqual(pending.kind === 'confirm' && pending.target, { action: 'workstream.mark-failed', subject: 'ws-15', params: { message: 'agent stopped responding' } });
  const progress: string[] = [];
  const record = await s.confirm('mark', { onProgress: (l) => progress.push(l) });
  assert.deepEqual(progress, ['running workstream.mark-failed']);
  assert.equal(ws.applied.length, 1);
  assert.equal(ws.applied[0]!.options.discard, false);
  assert.equal(record.actionId, 'workstream.mark-failed:ws-15');
  assert.equal(record.ok, true);
  assert.equal(record.journalId, 'j-1');
  assert.equal(record.effect, 'destructive');
  assert.deepEqual(s.state.pending, { kind: 'ended', outcome: 'resolved' });
  assert.ok(ws.states.some((x) => x.pending.kind === 'applying'), 'observers see the fix-up running');
});

test('a failing fix-up follows onFailure; a thrown error is recorded as a failure, not lost', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  ws.results.set('worktree.save-wip', new Error('fatal: cannot lock ref'));
  const s = start(ws);
  await s.advance();
  const record = await s.confirm('save');
  assert.equal(record.ok, false);
  assert.equal(record.message, 'fatal: cannot lock ref');
  assert.equal(s.state.current, 'manual');
  assert.deepEqual(s.state.pending, { kind: 'step' });
  assert.deepEqual(s.state.path.at(-1)!.result, { type: 'action', ok: false, message: 'fatal: cannot lock ref' });
  await s.continueStep('manual');
  assert.equal(s.state.current, 'mark');
});

test('a failing fix-up without onFailure stays put with a fresh preview and the failure shown; it can be retried', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'no' });
  ws.results.set('workstream.mark-failed', { ok: false, message: 'database is busy' });
  const s = start(ws);
  await s.advance();
  await s.confirm('mark');
  const p = s.state.pending;
  assert.equal(s.state.current, 'mark');
  assert.equal(p.kind, 'confirm');
  assert.deepEqual(p.kind === 'confirm' && p.failure, { message: 'database is busy' });
  assert.equal(ws.calls.filter((c) => c.startsWith('preview workstream.mark-failed')).length, 2);
  ws.results.delete('workstream.mark-failed');
  await s.confirm('mark');
  assert.equal(s.state.pending.kind, 'ended');
  assert.deepEqual(s.state.actions.map((a) => a.ok), [false, true]);
});

test('a refused preview cannot be confirmed; declining stays at the fix-up (not onFailure, not escalation), Skip follows the skip edge', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  ws.previews.set('worktree.save-wip', new FixupRefused('a process (pid 42) still runs in the worktree', 'unsafe'));
  const s = start(ws);
  await s.advance();
  const p = s.state.pending;
  assert.deepEqual(p.kind === 'confirm' && p.blocked, { reason: 'a process (pid 42) still runs in the worktree', code: 'unsafe' });
  await assert.rejects(s.confirm('save'), /pid 42/);
  assert.equal(ws.applied.length, 0);
  const pathBefore = s.state.path.length;
  await s.decline('save');
  // "Don't run it" means cancel: the guide waits at the same fix-up, nothing recorded as failed.
  assert.equal(s.state.current, 'save');
  const after = s.state.pending;
  assert.equal(after.kind, 'confirm');
  assert.equal(after.kind === 'confirm' && after.declined, true);
  assert.equal(s.state.path.length, pathBefore);
  assert.equal(ws.applied.length, 0);
  // It can still be run after all (here: previewed again).
  await s.recheck('save');
  assert.equal(s.state.pending.kind === 'confirm' && s.state.pending.declined, undefined);

  const skipping = RecoverySession.start(skipPlaybook(), ws, { id: 'x', subject: 'ws-15' });
  await skipping.advance();
  await skipping.decline('remove');
  assert.equal(skipping.state.current, 'after');
  assert.deepEqual(skipping.state.path.at(-1)!.result, { type: 'declined' });
});

test('work a fix-up would discard must be confirmed explicitly, and the confirmation is passed on', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  ws.previews.set('worktree.save-wip', previewFor({ action: 'worktree.save-wip' }, { discards: { files: ['notes.txt'], commits: [] } }));
  const s = start(ws);
  await s.advance();
  await assert.rejects(s.confirm('save'), /discard 1 item/);
  assert.equal(ws.applied.length, 0);
  await s.confirm('save', { discard: true });
  assert.equal(ws.applied[0]!.options.discard, true);
});

test('in an untrusted workspace fix-ups are neither previewed nor run', async () => {
  const ws = new ScriptedWorkspace();
  ws.fixupsAllowed = false;
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  const s = start(ws);
  await s.advance();
  const p = s.state.pending;
  assert.deepEqual(p.kind === 'confirm' && p.blocked, { reason: UNTRUSTED_REASON, code: 'untrusted' });
  await assert.rejects(s.confirm('save'), /not trusted/);
  assert.ok(!ws.calls.some((c) => c.startsWith('preview') || c.startsWith('apply')), ws.calls.join());
});

test('requests for a node the session has left are refused as stale, and overlapping requests as busy', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'yes' });
  const s = start(ws);
  await s.advance();
  await assert.rejects(s.answer('alive', 'no'), (e: unknown) => e instanceof SessionError && e.code === 'stale');
  let release!: () => void;
  ws.answers.set('worktree.dirty', { answer: 'no' });
  const gate = new Promise<void>((r) => (release = r));
  const slowProbe = ws.probe.bind(ws);
  ws.probe = async (p, subj) => {
    await gate;
    return slowProbe(p, subj);
  };
  const first = s.choose('wait', 1);
  await assert.rejects(s.choose('wait', 1), (e: unknown) => e instanceof SessionError && e.code === 'busy');
  release();
  await first;
  assert.equal(s.state.current, 'mark');
});

test('back returns to the last decision the user made, walking back through automatic checks', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'yes' });
  ws.answers.set('worktree.dirty', { answer: 'no' });
  const s = start(ws);
  await s.advance();
  await s.choose('wait', 1);
  assert.equal(s.state.current, 'mark');
  await s.back();
  assert.equal(s.state.current, 'wait');
  assert.equal(s.state.pending.kind, 'choice');
  assert.deepEqual(s.state.path.map((p) => p.nodeId), ['alive']);
  await assert.rejects(s.back(), /no earlier decision/);
});

test('state survives JSON and restores to the same place; in-flight work is redone or marked interrupted', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  const s = start(ws);
  await s.advance();
  const saved = JSON.parse(JSON.stringify(s.state));
  const again = RecoverySession.restore(worktreePlaybook(), ws, saved);
  assert.deepEqual(again.state, s.state);
  await again.confirm('save');
  assert.equal(again.state.current, 'mark');

  const applying = ws.states.find((x) => x.pending.kind === 'applying')!;
  const ws2 = new ScriptedWorkspace();
  const restored = RecoverySession.restore(worktreePlaybook(), ws2, JSON.parse(JSON.stringify(applying)));
  assert.equal(restored.state.current, 'save');
  assert.equal(restored.state.pending.kind, 'previewing');
  assert.match(restored.state.actions.at(-1)!.message, /Interrupted/);
  await restored.advance();
  assert.equal(restored.state.pending.kind, 'confirm');
  assert.equal(ws2.applied.length, 0, 'restoring never re-runs a fix-up by itself');
});

test('restore refuses state that is malformed, tampered with or from another playbook', () => {
  const ws = new ScriptedWorkspace();
  const pb = worktreePlaybook();
  const good = start(ws).state;
  assert.throws(() => RecoverySession.restore(pb, ws, { ...good, current: 'nowhere' }), /no longer has/);
  assert.throws(() => RecoverySession.restore(pb, ws, { ...good, pending: { kind: 'choice' } }), /waits for "choice" at check node "alive"/);
  assert.throws(() => RecoverySession.restore(pb, ws, { ...good, startedAt: 'yesterday' }), /startedAt: must be an ISO time/);
  assert.throws(() => RecoverySession.restore(pb, ws, { ...good, extra: 1 }), /invalid recovery session state/);
  assert.throws(() => RecoverySession.restore(pb, ws, '<script>'), /invalid recovery session state/);
  const other = parsePlaybook(WORKTREE_YAML.replace('id: stuck-agent', 'id: other'), 'o.yaml').playbook!;
  assert.throws(() => RecoverySession.restore(other, ws, good), /belongs to playbook "stuck-agent"/);
});

test('a restored confirm state is blocked again when trust was withdrawn meanwhile', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  const s = start(ws);
  await s.advance();
  const untrusted = new ScriptedWorkspace();
  untrusted.fixupsAllowed = false;
  const r = RecoverySession.restore(worktreePlaybook(), untrusted, s.state);
  const p = r.state.pending;
  assert.equal(p.kind === 'confirm' && p.blocked?.code, 'untrusted');
});

test('checks that loop into each other end in escalation instead of spinning', async () => {
  const yaml = `lifeline: 1
id: loop
title: Loop
severity: 2
failureType: error
recoverable: true
recoverableReason: r
nodes:
  - {id: a, kind: check, title: A, probe: worktree.dirty, yes: b, no: z}
  - {id: b, kind: check, title: B, probe: worktree.locked, yes: a, no: z}
  - {id: z, kind: end, title: Z, outcome: resolved}
`;
  const pb = parsePlaybook(yaml, 'loop.yaml').playbook!;
  const ws = new ScriptedWorkspace();
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  ws.answers.set('worktree.locked', { answer: 'yes' });
  const s = RecoverySession.start(pb, ws, { id: 'l' });
  await s.advance();
  const p = s.state.pending;
  assert.equal(p.kind, 'ended');
  assert.equal(p.kind === 'ended' && p.outcome, 'escalate');
  assert.ok(ws.calls.length < 20, `probes asked ${ws.calls.length} times`);
});

test('markUndone records the undo on the action that wrote that journal entry, once', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'no' });
  const s = start(ws);
  await s.advance();
  await s.confirm('mark');
  assert.equal(s.markUndone('j-1'), true);
  assert.equal(s.markUndone('j-1'), false);
  assert.equal(s.markUndone('nope'), false);
  assert.match(s.state.actions[0]!.undone ?? '', /^2025-01-07T/);
});

test('after an undo the path moves back to the undone fix-up, which is previewed again', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'no' });
  const s = start(ws);
  await s.advance();
  await s.confirm('mark');
  assert.equal(s.state.pending.kind, 'ended');
  assert.ok(s.state.path.some((p) => p.nodeId === 'mark' && p.result.type === 'action'));
  assert.equal(s.markUndone('j-1'), true);
  await s.advance();
  const st = s.state;
  assert.equal(st.current, 'mark');
  assert.equal(st.pending.kind, 'confirm', 'the fix-up is offered again');
  assert.deepEqual(
    st.path.map((p) => p.nodeId),
    ['alive', 'dirty'],
    'the path no longer says the undone fix-up is done',
  );
  assert.equal(st.actions.length, 1, 'the record of what ran stays, marked undone');
  assert.ok(st.actions[0]!.undone);
});
