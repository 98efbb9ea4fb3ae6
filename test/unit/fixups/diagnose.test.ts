// diagnose over a crashed orchestration in seed 001's layout: real repository, real SQLite rows
// (written by python3's sqlite3, read by Lifeline's own database source), a live process in a
// stuck agent's worktree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from '../../../src/core/engine/diagnose';
import { defaultSources } from '../../../src/core/engine/sources';
import { answerProbe } from '../../../src/core/engine/probes';
import { addWorktree, git, makeRepo, sleeperIn } from '../git/helpers';
import { writeDb } from './python-rows';

const NOW = new Date('2025-11-29T10:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString().replace('T', ' ').slice(0, 19);

test('a crashed orchestration: stuck, failed, orphaned, prunable, locked, dirty, cycle and dangling findings', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const stuck = addWorktree(repo, '.worktrees/agent-1-ws-15', 'ws/ws-15/agent-1');
  writeFileSync(join(stuck, 'partial.py'), 'x = 1\n');
  repo.commit('agent progress', stuck);
  writeFileSync(join(stuck, 'more.py'), 'y = 2\n');
  const sleeper = await sleeperIn(stuck);
  t.after(() => sleeper.kill('SIGKILL'));
  addWorktree(repo, '.worktrees/agent-2-ws-22', 'ws/ws-22/agent-2');
  const done = addWorktree(repo, '.worktrees/agent-3-ws-31', 'ws/ws-31/agent-3');
  writeFileSync(join(done, 'leftover.txt'), 'left\n');
  addWorktree(repo, '.worktrees/agent-9-ws-99', 'ws/ws-99/agent-9');
  const busy = addWorktree(repo, '.worktrees/agent-4-ws-40', 'ws/ws-40/agent-4');
  writeFileSync(join(busy, 'wip.txt'), 'agent is working\n');
  const gone = addWorktree(repo, '.worktrees/agent-5-ws-50', 'ws/ws-50/agent-5');
  rmSync(gone, { recursive: true });
  const locked = addWorktree(repo, '.worktrees/agent-6-ws-60', 'ws/ws-60/agent-6');
  git(repo.root, 'worktree', 'lock', '--reason', 'on removable disk', locked);
  // A user's own worktree outside the agents' folder, on a non-workstream branch: never "orphaned".
  git(repo.root, 'worktree', 'add', '-q', '-b', 'feature/mine', join(repo.base, 'my feature'));
  mkdirSync(join(repo.root, 'workstreams'));
  writeFileSync(join(repo.root, 'workstreams', 'ws-70.json'), '{"depends_on":["ws-71"]}');
  writeFileSync(join(repo.root, 'workstreams', 'ws-bad.json'), '{oops');
  mkdirSync(join(repo.root, '.state'));
  writeDb(join(repo.root, '.state', 'orchestration.db'), [
    { workstream_id: 'ws-15', status: 'running', agent_id: 'agent-1', started_at: minutesAgo(120) },
    { workstream_id: 'ws-22', status: 'failed', agent_id: 'agent-2', started_at: minutesAgo(90), error_message: 'pytest failed\nsecond line' },
    { workstream_id: 'ws-31', status: 'completed', agent_id: 'agent-3', started_at: minutesAgo(200) },
    { workstream_id: 'ws-40', status: 'running', agent_id: 'agent-4', started_at: minutesAgo(5) },
    { workstream_id: 'ws-50', status: 'running', agent_id: 'agent-5', started_at: minutesAgo(10) },
    { workstream_id: 'ws-60', status: 'running', agent_id: 'agent-6', started_at: minutesAgo(10) },
    { workstream_id: 'ws-70', status: 'blocked', blocked_by: 'ws-71' },
    { workstream_id: 'ws-71', status: 'blocked', blocked_by: 'ws-70' },
    { workstream_id: 'ws-80', status: 'blocked', blocked_by: 'ws-404' },
    { workstream_id: '--force', status: 'running', agent_id: 'agent-7', started_at: minutesAgo(300) },
  ]);

  const ws = { ...repo.ws(), now: () => NOW };
  const report = await diagnose(ws, defaultSources());
  const by = (id: string) => report.findings.find((f) => f.id === id);
  const kinds = report.findings.map((f) => f.id).sort();
  assert.deepEqual(kinds, [
    'dangling-dependency:ws-80->ws-404',
    'dependency-cycle:ws-70',
    'dirty-worktree:.worktrees/agent-1-ws-15',
    'dirty-worktree:.worktrees/agent-3-ws-31',
    'failed-workstream:ws-22',
    'invalid-spec:workstreams/ws-bad.json',
    'locked-worktree:.worktrees/agent-6-ws-60',
    'orphaned-worktree:.worktrees/agent-3-ws-31',
    'orphaned-worktree:.worktrees/agent-9-ws-99',
    'prunable-worktree:.worktrees/agent-5-ws-50',
    'stuck-workstream:"--force"',
    'stuck-workstream:ws-15',
  ]);

  const s = by('stuck-workstream:ws-15')!;
  assert.equal(s.scenario, 'agent-hang');
  assert.equal(s.facts?.ageMinutes, 120);
  assert.equal(s.facts?.aheadOfMain, 1);
  assert.equal(s.facts?.dirtyFiles, 1);
  assert.equal(s.facts?.processAlive, true);
  assert.match(String(s.facts?.processes), new RegExp(`\\b${sleeper.pid}\\b`));
  assert.match(s.detail, /running for 120 min/);
  assert.deepEqual(s.actions.map((a) => a.id), [
    'worktree.save-wip:.worktrees/agent-1-ws-15',
    'branch.merge:ws/ws-15/agent-1',
    'workstream.mark-failed:ws-15',
    'workstream.mark-pending:ws-15',
    'worktree.remove:.worktrees/agent-1-ws-15',
  ]);
  assert.match(by('failed-workstream:ws-22')!.detail, /ws-22 failed: pytest failed;/);
  assert.deepEqual(by('stuck-workstream:"--force"')!.actions, [], 'a hostile id gets no action');
  assert.match(by('orphaned-worktree:.worktrees/agent-3-ws-31')!.detail, /ws-31, which is completed/);
  assert.match(by('locked-worktree:.worktrees/agent-6-ws-60')!.detail, /on removable disk/);

  // Probes answer from the same report.
  assert.equal(await answerProbe(ws, report, 'process.alive', 'ws-15'), 'yes');
  assert.equal(await answerProbe(ws, report, 'process.alive', '.worktrees/agent-9-ws-99'), 'no');
  assert.equal(await answerProbe(ws, report, 'workstream.has-commits', 'ws-15'), 'yes');
  assert.equal(await answerProbe(ws, report, 'worktree.dirty', '.worktrees/agent-4-ws-40'), 'yes');
  assert.equal(await answerProbe(ws, report, 'worktree.dirty', '.worktrees/agent-9-ws-99'), 'no');
  assert.equal(await answerProbe(ws, report, 'worktree.exists', '.worktrees/agent-5-ws-50'), 'no');
  assert.equal(await answerProbe(ws, report, 'worktree.prunable'), 'yes');
  assert.equal(await answerProbe(ws, report, 'worktree.locked', '.worktrees/agent-6-ws-60'), 'yes');
  assert.equal(await answerProbe(ws, report, 'workstream.running-long'), 'yes');
  assert.equal(await answerProbe(ws, report, 'workstream.any-blocked'), 'yes');
  assert.equal(await answerProbe(ws, report, 'deps.cycle'), 'yes');
  assert.equal(await answerProbe(ws, report, 'merge.recent'), 'no');
  assert.equal(await answerProbe(ws, report, 'db.in-use'), 'unknown');
  assert.equal(await answerProbe(ws, report, 'repeat.third-strike'), 'unknown');
});

test('without a database only git facts are reported, and nothing is called orphaned', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/agent-1-ws-1', 'ws/ws-1/agent-1');
  writeFileSync(join(wt, 'x.txt'), 'x\n');
  const report = await diagnose(repo.ws(), {});
  assert.deepEqual(report.findings.map((f) => f.id), ['dirty-worktree:.worktrees/agent-1-ws-1']);
  assert.equal(report.rows, null);
  assert.equal(await answerProbe(repo.ws(), report, 'worktree.orphaned'), 'unknown');
  assert.equal(await answerProbe(repo.ws(), report, 'db.readable'), 'unknown');
});

test('stuck and failed workstreams are found once, from the real database reader, and every finding names its source', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/agent-2-ws-22', 'ws/ws-22/agent-2');
  writeFileSync(join(wt, 'wip.txt'), 'wip\n');
  mkdirSync(join(repo.root, '.state'));
  writeDb(join(repo.root, '.state', 'orchestration.db'), [
    { workstream_id: 'ws-15', status: 'running', agent_id: 'agent-1', started_at: minutesAgo(235) },
    { workstream_id: 'ws-22', status: 'failed', agent_id: 'agent-2', started_at: minutesAgo(90), error_message: '  pytest failed  \nTraceback' },
    { workstream_id: 'ws..1', status: 'running', agent_id: 'agent-3', started_at: minutesAgo(300) },
    { workstream_id: 'ws-40', status: 'running', agent_id: 'agent-4', started_at: minutesAgo(30) },
  ]);
  const report = await diagnose({ ...repo.ws(), now: () => NOW }, defaultSources());
  // ws..1 passed the database scanner's laxer id rule and not git's: it used to be two findings.
  assert.deepEqual(report.findings.map((f) => f.id), [
    'stuck-workstream:"ws..1"',
    'stuck-workstream:ws-15',
    'failed-workstream:ws-22',
    'dirty-worktree:.worktrees/agent-2-ws-22',
  ]);
  const by = (id: string) => report.findings.find((f) => f.id === id)!;
  assert.deepEqual(report.findings.map((f) => f.source), ['orchestration-db', 'orchestration-db', 'orchestration-db', 'git']);
  assert.deepEqual(by('stuck-workstream:"ws..1"').actions, [], 'a name git refuses gets no action');
  const stuck = by('stuck-workstream:ws-15');
  assert.equal(stuck.detail, 'ws-15 has been running for 235 min (agent-1); no branch found.');
  assert.deepEqual(stuck.actions.map((a) => a.id), ['workstream.mark-failed:ws-15', 'workstream.mark-pending:ws-15']);
  assert.equal(stuck.facts?.startedAt, minutesAgo(235));
  const failed = by('failed-workstream:ws-22');
  assert.match(failed.detail, /^ws-22 failed: pytest failed; branch ws\/ws-22\/agent-2: last commit \d+ min ago, 0 commits ahead of main; worktree \.worktrees\/agent-2-ws-22: 1 uncommitted file: /);
  assert.equal(failed.facts?.error, 'pytest failed');
  assert.deepEqual(failed.actions.map((a) => a.id), ['worktree.save-wip:.worktrees/agent-2-ws-22', 'workstream.mark-pending:ws-22', 'worktree.remove:.worktrees/agent-2-ws-22']);
  assert.equal(report.workstreams?.find((w) => w.id === 'ws-40')?.source, 'orchestration-db');
});

test('a database source that fails outright becomes one finding; git is still scanned', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, '.worktrees/agent-1-ws-1', 'ws/ws-1/agent-1');
  git(repo.root, 'worktree', 'lock', wt);
  const broken = { scan: () => Promise.reject(new Error('file is not a database\nmore')), readRows: () => Promise.reject(new Error('x')), handlers: [] };
  const report = await diagnose(repo.ws(), { database: broken });
  assert.deepEqual(report.findings.map((f) => f.id), ['db-unreadable:.state/orchestration.db', 'locked-worktree:.worktrees/agent-1-ws-1']);
  assert.equal(report.findings[0]!.detail, 'The database scan failed: file is not a database');
});
