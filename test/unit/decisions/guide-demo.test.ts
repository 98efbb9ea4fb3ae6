// The orchestrator-crash guide walked on the demo workspace (real git, a real SQLite file) with
// the real engine: subjects come from the diagnosis, titles and commands name them, fix-ups act
// on the subject's own branch and worktree, and what the guide says happened is checked on disk
// with git and python3's sqlite3, never through Lifeline's own readers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace } from '../../../scripts/demo/workspace.mjs';
import { RecoverySession } from '../../../src/core/decisions/session';
import type { SessionDeps } from '../../../src/core/decisions/session';
import { fillCommand } from '../../../src/core/decisions/fill';
import { diagnose } from '../../../src/core/engine/diagnose';
import { sessionWorkspace } from '../../../src/core/engine/session-workspace';
import { defaultSources } from '../../../src/core/engine/sources';
import { bindSubject, subjectCandidates } from '../../../src/core/engine/subjects';
import { explainProbe } from '../../../src/core/engine/probes';
import { openWorkspace } from '../../../src/core/engine/open-workspace';
import { loadPlaybookDir } from '../../../src/core/playbooks/loader';
import type { Playbook } from '../../../src/core/playbooks/model';
import { readDb } from '../fixups/python-rows';

const PLAYBOOKS = join(__dirname, '..', '..', '..', 'playbooks');

async function playbook(id: string): Promise<Playbook> {
  const { playbooks } = await loadPlaybookDir(PLAYBOOKS);
  const p = playbooks.find((x) => x.id === id);
  assert.ok(p, id);
  return p;
}

function demo(t: { after(fn: () => void): void }): string {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-guide-demo-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  return createDemoWorkspace(join(base, 'repo')).root;
}

function deps(root: string): SessionDeps {
  const w = sessionWorkspace((now) => openWorkspace(root, now ? { now } : {}), defaultSources());
  return { ...w, fixupsAllowed: true };
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });
const row = (root: string, id: string) => readDb(join(root, '.state', 'orchestration.db')).find((r) => r.workstream_id === id)!;

test('subject binding on the demo: ws-id -> branch, agent, worktree (only while on disk); a worktree path binds its workstream', async (t) => {
  const root = demo(t);
  const ws = await openWorkspace(root);
  const report = await diagnose(ws, defaultSources());
  const spec = (await playbook('orchestrator-crash')).subject!;
  const candidates = subjectCandidates(report, spec, 'main');
  assert.deepEqual(candidates.map((c) => c.id), ['ws-15', 'ws-27']);
  const ws15 = candidates[0]!;
  assert.equal(ws15.values.branch, 'ws/ws-15/agent-2');
  assert.equal(ws15.values['agent-id'], 'agent-2');
  assert.equal(ws15.values.worktree, '.worktrees/agent-2-ws-15');
  assert.equal(ws15.values.status, 'running');
  assert.match(ws15.label, /ws-15 has been running for \d+ min/);
  const ws27 = candidates[1]!;
  assert.equal(ws27.values.branch, 'ws/ws-27/agent-3');
  assert.equal(ws27.values.worktree, undefined, 'ws-27\'s worktree is gone from disk: nothing to bind');
  assert.equal(ws27.values['worktree-gone'], '.worktrees/agent-3-ws-27');
  assert.equal(ws27.values.status, 'failed');
  assert.deepEqual(bindSubject(report, spec, '.worktrees/agent-2-ws-15', 'main')?.id, 'ws-15');
  assert.equal(bindSubject(report, spec, 'ws-99', 'main'), undefined);
  // Checks answer about the subject, with the evidence.
  const commits = await explainProbe(ws, report, 'workstream.has-commits', 'ws-15');
  assert.equal(commits.answer, 'yes');
  assert.match(commits.detail ?? '', /^1 commit ahead of main on ws\/ws-15\/agent-2, last \d+ min ago$/);
  const long = await explainProbe(ws, report, 'workstream.running-long', 'ws-15');
  assert.equal(long.answer, 'yes');
  assert.match(long.detail ?? '', /^ws-15 has been running for \d+ min \(the threshold is 60\)$/);
  assert.equal((await explainProbe(ws, report, 'workstream.failed', 'ws-27')).answer, 'yes');
  assert.equal((await explainProbe(ws, report, 'workstream.failed', 'ws-15')).answer, 'no');
  assert.equal((await explainProbe(ws, report, 'worktree.exists', 'ws-27')).answer, 'no');
});

test('orchestrator-crash from the palette: asks which workstream, says it in every title, moves on to the next one, acts on each one\'s own rows and worktree', async (t) => {
  const root = demo(t);
  const s = RecoverySession.start(await playbook('orchestrator-crash'), deps(root), { id: 'palette' });
  await s.advance();
  let p = s.state.pending;
  assert.equal(p.kind, 'subject');
  assert.deepEqual(p.kind === 'subject' && p.options.map((o) => o.id), ['ws-15', 'ws-27']);

  await s.chooseSubject('ws-27');
  assert.equal(s.state.current, 'list-running');
  await s.continueStep('list-running');
  // has-commits answered itself about ws-27, with its evidence; the step after it names the branch.
  const check = s.state.path.at(-1)!;
  assert.equal(check.title, "Does ws-27's branch have commits main lacks?");
  assert.equal(check.result.type === 'check' && check.result.answer, 'yes');
  assert.match(check.result.type === 'check' ? (check.result.detail ?? '') : '', /1 commit ahead of main on ws\/ws-27\/agent-3/);
  assert.equal(s.state.current, 'inspect-branch');
  const log = fillCommand(s.playbook, s.state, s.currentNode, 0)!;
  assert.deepEqual([log.run, log.missing], ['git log ws/ws-27/agent-3 --oneline -5', []]);
  await s.continueStep('inspect-branch');
  await s.choose('work-valid', 1); // discard this attempt
  // ws-27 is already failed: it is not marked failed again, and its worktree is gone, so the guide moves on.
  assert.deepEqual(
    s.state.path.slice(-2).map((e) => [e.nodeId, e.result.type === 'check' ? e.result.answer : e.result.type]),
    [
      ['already-failed', 'yes'],
      ['worktree-left', 'no'],
    ],
  );
  p = s.state.pending;
  assert.equal(s.state.current, 'more-running');
  assert.equal(p.kind, 'ask', 'one workstream was picked: moving on to another is the user\'s to say');
  assert.match(p.kind === 'ask' ? (p.detail ?? '') : '', /^ws-15 is still waiting/);
  await s.answer('more-running', 'yes');
  assert.equal(s.state.subject, 'ws-15');
  assert.equal(s.state.current, 'inspect-branch');
  await s.continueStep('inspect-branch');
  await s.choose('work-valid', 1);
  p = s.state.pending;
  assert.equal(s.state.current, 'mark-failed');
  assert.deepEqual(p.kind === 'confirm' && p.target, { action: 'workstream.mark-failed', subject: 'ws-15', params: { message: 'Orchestrator crashed; no usable work on the branch' } });
  // Declining is not escalation: the guide waits at the same fix-up and nothing changed.
  await s.decline('mark-failed');
  assert.equal(s.state.current, 'mark-failed');
  assert.equal(row(root, 'ws-15').status, 'running');
  await s.recheck('mark-failed');
  const marked = await s.confirm('mark-failed');
  assert.equal(marked.ok, true, marked.message);
  assert.equal(row(root, 'ws-15').status, 'failed');
  assert.equal(row(root, 'ws-27').error_message, 'Agent process exited with code 137 (out of memory)', "ws-27's own error message is kept");

  // Its worktree is on disk: the removal is aimed at ws-15's worktree, and "Skip it" moves on.
  p = s.state.pending;
  assert.equal(s.state.current, 'remove-worktree');
  assert.deepEqual(p.kind === 'confirm' && p.target, { action: 'worktree.remove', subject: '.worktrees/agent-2-ws-15' });
  await s.decline('remove-worktree');
  // Nothing else waits: on to the cleanup.
  assert.deepEqual(s.state.path.at(-1)!.result, { type: 'check', probe: 'subject.next', answer: 'no', by: 'probe', detail: 'no other workstream is waiting' });
  await s.continueStep('cleanup-worktrees');
  assert.equal(s.state.current, 'prune');
  const pruned = await s.confirm('prune');
  assert.equal(pruned.ok, true, pruned.message);
  assert.doesNotMatch(git(root, 'worktree', 'list', '--porcelain'), /agent-3-ws-27/);
  // The --force loop is not done by pressing Done.
  await assert.rejects(s.continueStep('manual-cleanup'), /can destroy work/);
  await s.skipStep('manual-cleanup');
  assert.deepEqual(s.state.path.at(-1)!.result, { type: 'declined', reason: 'skipped' });
  await s.continueStep('restart');

  // The end checks the workspace again and lists what is left, exactly what diagnose finds.
  const end = s.state.pending;
  assert.equal(end.kind, 'ended');
  const remaining = end.kind === 'ended' ? end.remaining : undefined;
  assert.ok(remaining);
  const now = await diagnose(await openWorkspace(root), defaultSources());
  assert.deepEqual(remaining.map((r) => r.id), now.findings.map((f) => f.id));
  assert.deepEqual(remaining.filter((r) => r.mine).map((r) => r.id).sort(), ['dirty-worktree:.worktrees/agent-2-ws-15', 'failed-workstream:ws-15', 'failed-workstream:ws-27'].sort());
  assert.ok(remaining.some((r) => r.id === 'dependency-cycle:ws-22' && !r.mine));
  // ws-15 failed is what this guide's own mark-failed meant (a retry by the orchestrator), not a problem left.
  assert.deepEqual(remaining.filter((r) => r.intended).map((r) => r.id), ['failed-workstream:ws-15']);
});

test('orchestrator-crash from the tree on ws-27: bound at once, never proposes marking it failed, "the next one" is ws-15', async (t) => {
  const root = demo(t);
  const s = RecoverySession.start(await playbook('orchestrator-crash'), deps(root), { id: 'tree', subject: 'ws-27' });
  await s.advance();
  assert.equal(s.state.current, 'list-running');
  assert.equal(s.state.bound?.values.branch, 'ws/ws-27/agent-3');
  await s.continueStep('list-running');
  await s.continueStep('inspect-branch');
  await s.choose('work-valid', 1);
  assert.ok(!s.state.path.some((e) => e.nodeId === 'mark-failed'));
  await s.answer('more-running', 'yes');
  assert.equal(s.state.subject, 'ws-15');
  assert.deepEqual(s.state.settled?.map((x) => x.id), ['ws-27', 'ws-15']);
});

test('"all of them, one by one" moves on by itself; a subject nothing knows is not used', async (t) => {
  const root = demo(t);
  const unknown = RecoverySession.start(await playbook('orchestrator-crash'), deps(root), { id: 'u', subject: 'ws-99' });
  await unknown.advance();
  const p = unknown.state.pending;
  assert.equal(p.kind, 'subject');
  assert.match(p.kind === 'subject' ? (p.problem ?? '') : '', /nothing about "ws-99"/);
  await unknown.chooseSubject(null);
  assert.equal(unknown.state.subject, 'ws-15');
  await unknown.continueStep('list-running');
  await unknown.continueStep('inspect-branch');
  await unknown.choose('work-valid', 1);
  await unknown.decline('mark-failed');
  await unknown.back();
  // Back from the declined fix-up returns to the question that led there.
  assert.equal(unknown.state.current, 'work-valid');
});

test('started with "each" (chosen in the palette before the guide opened), the guide takes the first subject and moves on by itself', async (t) => {
  const root = demo(t);
  const s = RecoverySession.start(await playbook('orchestrator-crash'), deps(root), { id: 'e', each: true });
  await s.advance();
  assert.equal(s.state.pending.kind, 'step', 'no second question about the subject');
  assert.equal(s.state.current, 'list-running');
  assert.equal(s.state.subject, 'ws-15');
  assert.equal(s.state.each, true);
  await s.continueStep('list-running');
  await s.continueStep('inspect-branch');
  await s.choose('work-valid', 1);
  await s.confirm('mark-failed');
  assert.equal(s.state.current, 'remove-worktree');
  await s.decline('remove-worktree');
  // The loop's "another one?" answers itself: ws-27 is next, no question asked.
  assert.equal(s.state.subject, 'ws-27');
  const next = s.state.path.find((e) => e.nodeId === 'more-running');
  assert.equal(next?.result.type === 'check' && next.result.by, 'probe');
});

test('tests fail after a merge, on the demo: the test command is asked for, the merge the search blames fills the revert and the workstream to mark', async (t) => {
  const root = demo(t);
  const s = RecoverySession.start(await playbook('tests-fail-after-merge'), deps(root), { id: 'm' });
  await s.advance();
  await s.continueStep('run-suite');
  const blocked = s.state.pending;
  assert.equal(s.state.current, 'find-culprit');
  assert.equal(blocked.kind === 'confirm' && blocked.blocked?.code, 'input', 'it needs the test command first');
  await s.provide('test-command', 'python3 -m pytest tests/engine/test_executor.py::test_retry_logic');
  assert.equal(s.state.pending.kind === 'confirm' && s.state.pending.preview?.effect, 'read-only');
  const found = await s.confirm('find-culprit');
  assert.ok(found.ok, found.message);
  const merge = git(root, 'rev-parse', 'main').trim();
  await s.choose('culprit-found', 0);
  const revert = s.state.pending;
  assert.equal(revert.kind === 'confirm' && revert.target.subject, merge, 'the revert acts on the merge the search named');
  await s.confirm('revert');
  assert.match(git(root, 'log', '-1', '--format=%s', 'main'), /^Revert/);
  const mark = s.state.pending;
  assert.equal(mark.kind === 'confirm' && mark.target.subject, 'ws-08', 'the workstream comes from the merged branch');
  await s.confirm('mark-reverted');
  assert.equal(row(root, 'ws-08').status, 'reverted');
});
