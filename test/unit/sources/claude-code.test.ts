// The claude-code source against real state: real repositories with real worktrees where Claude
// Code puts them (.claude/worktrees/<name>, branch worktree-<name>), locked with Claude Code's
// reason and the pid of a real process, alive or killed; the Desktop pool file as Desktop writes
// it. Detection, each finding with its source, and unlock / remove / repair with preview,
// refusal while the owner runs (nothing changed, by digest), apply and undo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from '../../../src/core/engine/diagnose';
import type { DiagnoseReport } from '../../../src/core/engine/diagnose';
import { parseClaudeLock, claudeLockOwner } from '../../../src/core/fixups/claude-lock';
import { processStart } from '../../../src/core/fixups/process-owner';
import { FixupRefused } from '../../../src/core/fixups/types';
import type { Finding } from '../../../src/core/fixups/types';
import { removeHandler } from '../../../src/core/git/fixups/remove';
import { repairHandler } from '../../../src/core/git/fixups/repair';
import { unlockHandler } from '../../../src/core/git/fixups/unlock';
import { undoGitEntry } from '../../../src/core/git/undo';
import { diagnoseJson } from '../../../src/tools/diagnose';
import { cli } from '../fixups/cli-harness';
import { addWorktree, git, journalIn, makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { hashTree, treeDiff } from '../hostile/tree-hash';

// The pool file is looked up under XDG_CONFIG_HOME on Linux; each test file runs in its own process.
const poolHome = join(makeRepo('pool-home').base, 'config');
process.env.XDG_CONFIG_HOME = poolHome;

const SKIP = { skip: ['.git/index'] };

function sleeper(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("ready\\n"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', () => resolve(child));
  });
}

/** A pid that was a real process and is now gone (spawned, killed, reaped). */
async function deadPid(): Promise<number> {
  const child = await sleeper();
  const pid = child.pid!;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
  return pid;
}

/** A Claude Code subagent's worktree: `.claude/worktrees/<name>` on `worktree-<name>`, locked as Claude Code locks it. */
function claudeWorktree(repo: TestRepo, name: string, reason: string | null): string {
  const rel = `.claude/worktrees/${name}`;
  const path = addWorktree(repo, rel, `worktree-${name}`);
  if (reason !== null) git(repo.root, 'worktree', 'lock', '--reason', reason, path);
  return path;
}

function lockOf(repo: TestRepo, path: string): string | null {
  const blocks = git(repo.root, 'worktree', 'list', '--porcelain').split('\n\n');
  const block = blocks.find((b) => b.startsWith(`worktree ${path}\n`));
  assert.ok(block, `git lists ${path}`);
  const line = block.split('\n').find((l) => l === 'locked' || l.startsWith('locked '));
  return line === undefined ? null : line.slice('locked '.length);
}

function find(report: DiagnoseReport, id: string): Finding {
  const f = report.findings.find((x) => x.id === id);
  assert.ok(f, `${id} in ${JSON.stringify(report.findings.map((x) => x.id))}`);
  return f;
}

async function refusedBusy(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof FixupRefused && e.code === 'busy' && re.test(e.message));
}

test('the lock reason is parsed, with the start time when given; other reasons are not Claude Code\'s', () => {
  assert.deepEqual(parseClaudeLock('claude agent agent-abc123 (pid 4242)'), { role: 'agent', name: 'agent-abc123', pid: 4242, start: null });
  assert.deepEqual(parseClaudeLock('claude session fix-login (pid 7 start 123456)'), { role: 'session', name: 'fix-login', pid: 7, start: '123456' });
  assert.equal(parseClaudeLock('on a removable drive'), null);
  assert.equal(parseClaudeLock('claude agent x (pid 0)'), null);
  assert.equal(parseClaudeLock(null), null);
});

test('a pid that runs under another start time is a reused pid: the lock is stale (where start times can be read)', async (t) => {
  const child = await sleeper();
  t.after(() => child.kill('SIGKILL'));
  const pid = child.pid!;
  const start = processStart(pid);
  if (process.platform === 'linux') {
    assert.ok(start);
    assert.equal(claudeLockOwner({ role: 'agent', name: 'a', pid, start }), 'alive');
    assert.equal(claudeLockOwner({ role: 'agent', name: 'a', pid, start: `${Number(start) - 1}` }), 'dead');
    // A start after the running process's own is no reuse (another unit or boot): kept as alive.
    assert.equal(claudeLockOwner({ role: 'agent', name: 'a', pid, start: `${Number(start) + 1_000_000}` }), 'alive');
    assert.equal(claudeLockOwner({ role: 'agent', name: 'a', pid, start: '2026-12-02T10:00Z' }), 'alive');
  } else {
    // No start time to compare: a running pid counts as the owner.
    assert.equal(claudeLockOwner({ role: 'agent', name: 'a', pid, start: '1' }), 'alive');
  }
  assert.equal(claudeLockOwner({ role: 'agent', name: 'a', pid, start: null }), 'alive');
  assert.equal(claudeLockOwner({ role: 'agent', name: 'a', pid: await deadPid(), start: null }), 'dead');
});

test('detection: Claude Code worktrees become claude-code workstreams; plain worktrees stay git\'s', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const child = await sleeper();
  t.after(() => child.kill('SIGKILL'));
  claudeWorktree(repo, 'agent-abc123', `claude agent agent-abc123 (pid ${child.pid})`);
  claudeWorktree(repo, 'idea', null);
  const plain = addWorktree(repo, '.worktrees/plain', 'plain');
  git(repo.root, 'worktree', 'lock', '--reason', 'kept on purpose', plain);

  const report = await diagnose(repo.ws());
  const byId = new Map((report.claudeCode ?? []).map((w) => [w.id, w]));
  assert.deepEqual([...byId.keys()].sort(), ['agent-abc123', 'idea']);
  const agent = byId.get('agent-abc123')!;
  assert.equal(agent.source, 'claude-code');
  assert.equal(agent.branch, 'worktree-agent-abc123');
  assert.equal(agent.worktree, '.claude/worktrees/agent-abc123');
  assert.equal(agent.agent, 'agent-abc123');
  assert.deepEqual(agent.owner, { pid: child.pid });
  assert.equal(agent.status, 'running');
  assert.equal(byId.get('idea')!.owner, null);
  assert.equal(find(report, 'locked-worktree:.worktrees/plain').source, 'git');

  const none = makeRepo();
  t.after(() => none.cleanup());
  assert.equal((await diagnose(none.ws())).claudeCode, null, 'no .claude/worktrees: the source is not there');
});

test('a live owner: the finding says so, offers nothing, and unlock and remove refuse at preview and apply with nothing changed', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const child = await sleeper();
  t.after(() => child.kill('SIGKILL'));
  const reason = `claude agent agent-live (pid ${child.pid})`;
  const wt = claudeWorktree(repo, 'agent-live', reason);
  writeFileSync(join(wt, 'work.txt'), 'in progress\n');
  const ws = repo.ws();

  const report = await diagnose(ws);
  const f = find(report, 'locked-worktree:.claude/worktrees/agent-live');
  assert.equal(f.source, 'claude-code');
  assert.match(f.detail, /still running/);
  assert.deepEqual(f.actions, []);
  assert.equal(f.facts?.ownerAlive, true);
  assert.equal(report.findings.filter((x) => x.id === f.id).length, 1, 'git\'s locked finding is replaced, not doubled');
  const json = diagnoseJson(report) as { findings: { id: string; source: string }[] };
  assert.equal(json.findings.find((x) => x.id === f.id)?.source, 'claude-code');

  const before = hashTree(repo.base, SKIP);
  const unlock = { action: 'worktree.unlock' as const, subject: '.claude/worktrees/agent-live' };
  const preview = await unlockHandler.preview(ws, unlock);
  assert.equal(preview.refusal?.code, 'busy');
  assert.match(preview.refusal!.reason, new RegExp(`pid ${child.pid}\\).*still running`));
  await refusedBusy(unlockHandler.apply(ws, unlock, { discard: false, journal: journalIn(repo) }), /still running/);
  const remove = { action: 'worktree.remove' as const, subject: '.claude/worktrees/agent-live' };
  assert.equal((await removeHandler.preview(ws, remove)).refusal?.code, 'busy');
  await refusedBusy(removeHandler.apply(ws, remove, { discard: true, journal: journalIn(repo) }), /still running/);
  assert.deepEqual(treeDiff(before, hashTree(repo.base, SKIP)), []);
  assert.equal(lockOf(repo, wt), reason);
});

test('a dead owner: a stale lock offering unlock, save-wip, remove; unlock applies and undo locks it again with the same reason', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const pid = await deadPid();
  const reason = `claude agent agent-dead (pid ${pid})`;
  const wt = claudeWorktree(repo, 'agent-dead', reason);
  writeFileSync(join(wt, 'work.txt'), 'unsaved\n');
  const ws = repo.ws();

  const f = find(await diagnose(ws), 'locked-worktree:.claude/worktrees/agent-dead');
  assert.equal(f.source, 'claude-code');
  assert.match(f.detail, new RegExp(`stale lock.*pid ${pid} is no longer running.*1 uncommitted file`));
  assert.deepEqual(f.actions.map((a) => a.id), ['worktree.unlock:.claude/worktrees/agent-dead', 'worktree.save-wip:.claude/worktrees/agent-dead', 'worktree.remove:.claude/worktrees/agent-dead']);
  assert.equal(f.facts?.ownerAlive, false);

  const target = { action: 'worktree.unlock' as const, subject: '.claude/worktrees/agent-dead' };
  const preview = await unlockHandler.preview(ws, target);
  assert.equal(preview.refusal, undefined);
  assert.deepEqual(preview.git, [['worktree', 'unlock', '--end-of-options', wt]]);
  const journal = journalIn(repo);
  const result = await unlockHandler.apply(ws, target, { discard: false, confirmed: preview, journal });
  assert.equal(result.ok, true);
  assert.equal(lockOf(repo, wt), null);
  assert.equal(readFileSync(join(wt, 'work.txt'), 'utf8'), 'unsaved\n');

  const [entry] = await journal.entries();
  assert.ok(entry);
  await undoGitEntry(ws, entry, journal);
  assert.equal(lockOf(repo, wt), reason, 'git worktree list shows it locked again, same reason');
});

test('the owner coming back between preview and apply: apply refuses and the lock stays', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const pid = await deadPid();
  const wt = claudeWorktree(repo, 'agent-back', `claude agent agent-back (pid ${pid})`);
  const ws = repo.ws();
  const target = { action: 'worktree.unlock' as const, subject: '.claude/worktrees/agent-back' };
  const preview = await unlockHandler.preview(ws, target);
  assert.equal(preview.refusal, undefined);
  // The agent is back, under a new pid, and relocked its worktree.
  const child = await sleeper();
  t.after(() => child.kill('SIGKILL'));
  const reason = `claude agent agent-back (pid ${child.pid})`;
  git(repo.root, 'worktree', 'unlock', wt);
  git(repo.root, 'worktree', 'lock', '--reason', reason, wt);
  const before = hashTree(repo.base, SKIP);
  await refusedBusy(unlockHandler.apply(ws, target, { discard: false, confirmed: preview, journal: journalIn(repo) }), /still running/);
  assert.deepEqual(treeDiff(before, hashTree(repo.base, SKIP)), []);
  assert.equal(lockOf(repo, wt), reason);
});

test('after the stale lock is gone, remove keeps the unsaved work in a backup ref and needs no force over it', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = claudeWorktree(repo, 'agent-rm', `claude agent agent-rm (pid ${await deadPid()})`);
  writeFileSync(join(wt, 'work.txt'), 'unsaved\n');
  const ws = repo.ws();
  const journal = journalIn(repo);
  const unlock = { action: 'worktree.unlock' as const, subject: '.claude/worktrees/agent-rm' };
  await unlockHandler.apply(ws, unlock, { discard: false, confirmed: await unlockHandler.preview(ws, unlock), journal });
  const remove = { action: 'worktree.remove' as const, subject: '.claude/worktrees/agent-rm' };
  const preview = await removeHandler.preview(ws, remove);
  assert.ok(!preview.git?.some((argv) => argv.includes('--force')), JSON.stringify(preview.git));
  await assert.rejects(removeHandler.apply(ws, remove, { discard: false, journal }), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe');
  await removeHandler.apply(ws, remove, { discard: true, confirmed: preview, journal });
  const backup = git(repo.root, 'for-each-ref', '--format=%(refname)', 'refs/lifeline/backup/').trim().split('\n').find((r) => r.includes('agent-rm-files-'));
  assert.ok(backup, 'the unsaved file is in a backup ref');
  assert.equal(git(repo.root, 'show', `${backup}^3:work.txt`), 'unsaved\n');
});

test('a worktree record whose gitdir was written as ".git" is offered repair, not prune, and repair fixes it', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = claudeWorktree(repo, 'agent-link', null);
  writeFileSync(join(wt, 'work.txt'), 'keep me\n');
  const record = join(repo.root, '.git', 'worktrees', 'agent-link', 'gitdir');
  writeFileSync(record, '.git\n');
  const ws = repo.ws();

  const report = await diagnose(ws);
  const f = find(report, 'foreign-worktree:.claude/worktrees/agent-link');
  assert.equal(f.source, 'claude-code');
  assert.deepEqual(f.actions.map((a) => a.id), ['worktree.repair:.claude/worktrees/agent-link']);
  assert.ok(!report.findings.some((x) => x.actions.some((a) => a.id.startsWith('worktree.prune'))), JSON.stringify(report.findings));
  assert.ok(!report.findings.some((x) => x.subject === '.git'), 'git\'s finding under the broken path is replaced');

  const target = { action: 'worktree.repair' as const, subject: '.claude/worktrees/agent-link' };
  const preview = await repairHandler.preview(ws, target);
  assert.equal(preview.refusal, undefined);
  assert.deepEqual(preview.git, [['worktree', 'repair', '--end-of-options', wt]]);
  await repairHandler.apply(ws, target, { discard: false, confirmed: preview, journal: journalIn(repo) });
  assert.equal(readFileSync(record, 'utf8').trim(), join(wt, '.git'));
  assert.equal(readFileSync(join(wt, 'work.txt'), 'utf8'), 'keep me\n');
  const after = await diagnose(ws);
  assert.ok(!after.findings.some((x) => x.kind === 'foreign-worktree'), JSON.stringify(after.findings));
});

test('a prunable worktree Claude Desktop\'s pool still lists is not offered prune', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const wt = addWorktree(repo, join(repo.base, 'pool', 'brave-otter-1a2b'), 'claude/brave-otter-1a2b');
  mkdirSync(join(poolHome, 'Claude'), { recursive: true });
  const pool = { worktrees: { [wt]: { branch: 'claude/brave-otter-1a2b', createdAt: '2026-11-30T10:00:00Z', leasedBy: null, pooledAt: '2026-12-01T09:00:00Z' } }, schemaVersion: 2, untrackedDirGc: {} };
  writeFileSync(join(poolHome, 'Claude', 'git-worktrees.json'), JSON.stringify(pool));
  t.after(() => rmSync(join(poolHome, 'Claude'), { recursive: true, force: true }));
  rmSync(wt, { recursive: true, force: true });

  const report = await diagnose(repo.ws());
  const f = find(report, `prunable-worktree:${wt}`);
  assert.equal(f.source, 'claude-code');
  assert.match(f.detail, /pool still lists it/);
  assert.ok(!f.actions.some((a) => a.id.startsWith('worktree.prune')), JSON.stringify(f.actions));
  assert.equal(report.findings.filter((x) => x.id === f.id).length, 1);
});

test('the CLI: diagnose --json names the source; fix refuses (exit 5) while the agent runs and unlocks once it is gone; undo relocks', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const child = await sleeper();
  t.after(() => child.kill('SIGKILL'));
  const reason = `claude agent agent-cli (pid ${child.pid})`;
  const wt = claudeWorktree(repo, 'agent-cli', reason);
  const plain = addWorktree(repo, '.worktrees/plain', 'plain');
  git(repo.root, 'worktree', 'lock', plain);

  const diag = await cli(['diagnose', '--json'], repo.root);
  const findings = (JSON.parse(diag.out) as { findings: { id: string; source: string; actions: { id: string }[] }[] }).findings;
  assert.ok(findings.length >= 2 && findings.every((f) => typeof f.source === 'string'), diag.out);
  assert.equal(findings.find((f) => f.id === 'locked-worktree:.claude/worktrees/agent-cli')?.source, 'claude-code');
  assert.equal(findings.find((f) => f.id === 'locked-worktree:.worktrees/plain')?.source, 'git');

  const before = hashTree(repo.base, SKIP);
  const refused = await cli(['fix', 'worktree.unlock:.claude/worktrees/agent-cli', '--yes'], repo.root);
  assert.equal(refused.code, 5, refused.out + refused.err);
  assert.deepEqual(treeDiff(before, hashTree(repo.base, SKIP)), []);

  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
  const done = await cli(['fix', 'worktree.unlock:.claude/worktrees/agent-cli', '--yes'], repo.root);
  assert.equal(done.code, 0, done.out + done.err);
  assert.equal(lockOf(repo, wt), null);
  const undo = await cli(['undo', '--yes'], repo.root);
  assert.equal(undo.code, 0, undo.out + undo.err);
  assert.equal(lockOf(repo, wt), reason);
});

test('a lock whose pid now runs another, later-started process is stale, and unlock goes ahead', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const child = await sleeper();
  t.after(() => child.kill('SIGKILL'));
  const start = processStart(child.pid!);
  // Where no start time can be read, the running pid is the owner (the live case above covers it).
  const recorded = start === null ? '1' : `${Number(start) - 50}`;
  const wt = claudeWorktree(repo, 'agent-reused', `claude agent agent-reused (pid ${child.pid} start ${recorded})`);
  const ws = repo.ws();
  const f = find(await diagnose(ws), 'locked-worktree:.claude/worktrees/agent-reused');
  const target = { action: 'worktree.unlock' as const, subject: '.claude/worktrees/agent-reused' };
  if (start === null) {
    assert.deepEqual(f.actions, []);
    assert.equal((await unlockHandler.preview(ws, target)).refusal?.code, 'busy');
    return;
  }
  assert.match(f.detail, /now belongs to another process/);
  assert.equal(f.facts?.pidReused, true);
  assert.equal(f.actions[0]?.id, 'worktree.unlock:.claude/worktrees/agent-reused');
  const preview = await unlockHandler.preview(ws, target);
  await unlockHandler.apply(ws, target, { discard: false, confirmed: preview, journal: journalIn(repo) });
  assert.equal(lockOf(repo, wt), null);
});
