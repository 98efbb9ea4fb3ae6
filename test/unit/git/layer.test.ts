// The git layer's readers and guards on real repositories: the runner (accepted exit codes,
// cancel, timeout), worktree list parsing, workspace discovery and .lifeline.json, lsof output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitError, GitRunner } from '../../../src/core/git/runner';
import { listWorktrees, parseWorktreeList } from '../../../src/core/git/worktrees';
import { detectMainBranch, findRepositoryRoot } from '../../../src/core/git/repository';
import { loadConfig } from '../../../src/core/engine/config-file';
import { openWorkspace } from '../../../src/core/engine/open-workspace';
import { parseLsof } from '../../../src/core/git/processes';
import { parseStatus } from '../../../src/core/git/status';
import { git, makeRepo } from './helpers';

test('the runner returns accepted exit codes, throws one-line GitErrors, cancels and times out', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const g = new GitRunner(repo.root);
  repo.write('README.md', 'changed\n');
  const diff = await g.run(['diff', '--quiet'], { okExit: [1] });
  assert.equal(diff.exitCode, 1);
  await assert.rejects(g.run(['rev-parse', '--verify', 'no-such-ref']), (e: unknown) => e instanceof GitError && e.exitCode === 128 && !e.message.includes('\n'));
  // `hash-object --stdin` waits for input that never comes: only cancel or the timeout end it.
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(new GitRunner(repo.root, ac.signal).run(['hash-object', '--stdin']), /cancelled/);
  await assert.rejects(new GitRunner(repo.root, undefined, 200).run(['hash-object', '--stdin']), /printed nothing for 0 s and was stopped|was stopped/);
});

test('worktree list: locked with reason, prunable, detached, bare, spaces and unicode', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const a = join(repo.root, '.worktrees', 'agent 1 ünï');
  git(repo.root, 'worktree', 'add', '-q', '-b', 'ws/ws-1/agent-1', a);
  git(repo.root, 'worktree', 'lock', '--reason', 'reason with spaces', a);
  const d = join(repo.base, 'outside detached');
  git(repo.root, 'worktree', 'add', '-q', '--detach', d);
  const gone = join(repo.root, '.worktrees', 'gone');
  git(repo.root, 'worktree', 'add', '-q', '-b', 'ws/ws-2/agent-1', gone);
  rmSync(gone, { recursive: true });
  const list = await listWorktrees(new GitRunner(repo.root));
  const byPath = new Map(list.map((w) => [w.path, w]));
  assert.equal(list[0]!.main, true);
  assert.equal(list[0]!.branch, 'refs/heads/main');
  assert.equal(byPath.get(a)?.locked, 'reason with spaces');
  assert.equal(byPath.get(d)?.detached, true);
  assert.equal(byPath.get(d)?.branch, null);
  assert.match(byPath.get(gone)?.prunable ?? '', /non-existent location/);
  const bare = parseWorktreeList('worktree /srv/repo.git\0bare\0\0worktree /w\0HEAD abc\0detached\0locked\0\0');
  assert.equal(bare[0]!.bare, true);
  assert.equal(bare[1]!.locked, '', 'locked without a reason');
});

test('status parsing skips the branch header and keeps rename sources', () => {
  const entries = parseStatus('## main...origin/main\0 M a b.txt\0R  new.txt\0old.txt\0?? ünï.txt\0');
  assert.deepEqual(entries, [
    { code: ' M', path: 'a b.txt' },
    { code: 'R ', path: 'new.txt', from: 'old.txt' },
    { code: '??', path: 'ünï.txt' },
  ]);
});

test('discovery finds the main worktree from inside a linked one, and the main branch', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = join(repo.base, 'linked');
  git(repo.root, 'worktree', 'add', '-q', '-b', 'ws/ws-1/agent-1', wt);
  mkdirSync(join(wt, 'sub'));
  assert.equal(await findRepositoryRoot(join(wt, 'sub')), repo.root);
  await assert.rejects(findRepositoryRoot(repo.base), /not inside a git repository/);
  git(repo.root, 'branch', '-m', 'main', 'trunk');
  await assert.rejects(detectMainBranch(new GitRunner(repo.root), ''), /set "mainBranch"/);
  git(repo.root, 'config', 'init.defaultBranch', 'trunk');
  assert.equal(await detectMainBranch(new GitRunner(repo.root), ''), 'trunk');
  git(repo.root, 'branch', 'master', 'trunk');
  assert.equal(await detectMainBranch(new GitRunner(repo.root), ''), 'master');
  assert.equal(await detectMainBranch(new GitRunner(repo.root), 'trunk'), 'trunk');
});

test('.lifeline.json overrides the conventions; bad files are one-line errors', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  assert.equal((await loadConfig(repo.root)).worktreesDir, '.worktrees');
  writeFileSync(join(repo.root, '.lifeline.json'), '\uFEFF{"worktreesDir": "agents", "stuckAfterMinutes": 30, "table": 5}');
  const c = await loadConfig(repo.root);
  assert.equal(c.worktreesDir, 'agents');
  assert.equal(c.stuckAfterMinutes, 30);
  assert.equal(c.table, 'workstream_status', 'a wrong type is ignored');
  writeFileSync(join(repo.root, '.lifeline.json'), '{"journalDir": "../outside"}');
  await assert.rejects(loadConfig(repo.root), /"journalDir" must stay inside the repository/);
  writeFileSync(join(repo.root, '.lifeline.json'), '{"mainBranch": "--force"}');
  await assert.rejects(loadConfig(repo.root), /"mainBranch" must not start with "-"/);
  writeFileSync(join(repo.root, '.lifeline.json'), '{nope');
  await assert.rejects(openWorkspace(repo.root), /^PathRefused: \.lifeline\.json: invalid JSON/);
  writeFileSync(join(repo.root, '.lifeline.json'), '{"mainBranch": "main"}');
  assert.equal((await openWorkspace(repo.root)).config.mainBranch, 'main');
});

test('lsof -F output is read into processes with their files', () => {
  const text = 'p101\ncaider\nfcwd\nn/w/.worktrees/a b\nf3\nn/w/.worktrees/a b/x.py\np202\ncpython3\nn/tmp/db\n';
  assert.deepEqual(parseLsof(text), [
    { pid: 101, command: 'aider', paths: ['/w/.worktrees/a b', '/w/.worktrees/a b/x.py'] },
    { pid: 202, command: 'python3', paths: ['/tmp/db'] },
  ]);
});
