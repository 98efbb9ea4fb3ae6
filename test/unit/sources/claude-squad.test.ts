// The claude-squad source against real state: a fixture home whose `.claude-squad/state.json` is
// written as claude-squad writes it (a JSON object, python3's json.dump), a real repository with a
// real worktree where claude-squad puts it (`~/.claude-squad/worktrees/<title>_<hex>` on
// `alice/<title>`), and a real tmux session on a private server (TMUX_TMPDIR in a temp folder):
// alive in one test, killed in another. Detection filtered to the repository, the ghost-run
// finding, claude-squad.pause refused while the session runs (nothing changed, by digest), then
// preview, apply and undo with the file read back by python3's json.load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from '../../../src/core/engine/diagnose';
import type { DiagnoseReport } from '../../../src/core/engine/diagnose';
import { readClaudeSquad } from '../../../src/core/engine/claude-squad';
import { pauseHandler } from '../../../src/core/engine/claude-squad-pause';
import { squadTmuxName, tmuxSessionState, withStatus } from '../../../src/core/engine/claude-squad-state';
import { pickUndoEntry, undoEntry } from '../../../src/core/engine/fixups';
import { defaultSources } from '../../../src/core/engine/sources';
import { scanGit } from '../../../src/core/git/scan';
import { FixupRefused } from '../../../src/core/fixups/types';
import type { Finding, WorkspaceContext } from '../../../src/core/fixups/types';
import { cliBundle } from '../hostile/cli-child';
import { git, journalIn, makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { hashTree, treeDiff } from '../hostile/tree-hash';

const SKIP = { skip: ['repo/.git/index', 'tmux'] };

interface Fixture {
  repo: TestRepo;
  home: string;
  env: NodeJS.ProcessEnv;
  ws: WorkspaceContext;
  state: string;
  worktree: string;
}

/** A home and a private tmux server for this test: HOME and TMUX_TMPDIR point into the test's temp folder. */
function fixture(t: { after(fn: () => void): void }): Fixture {
  const repo = makeRepo();
  const home = join(repo.base, 'home');
  const tmuxDir = join(repo.base, 'tmux');
  mkdirSync(join(home, '.claude-squad', 'worktrees'), { recursive: true });
  mkdirSync(tmuxDir, { mode: 0o700 });
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMUX_TMPDIR: tmuxDir };
  delete env.TMUX; // a test run inside tmux must not reach the user's server
  t.after(() => {
    spawnSync('tmux', ['kill-server'], { env, stdio: 'ignore' });
    repo.cleanup();
  });
  return { repo, home, env, ws: { ...repo.ws(), env, now: () => new Date('2026-12-03T06:41:00Z') }, state: join(home, '.claude-squad', 'state.json'), worktree: '' };
}

function tmux(f: Fixture, ...args: string[]): void {
  execFileSync('tmux', args, { env: f.env, stdio: 'ignore' });
}

/** What claude-squad's storage holds for one instance (session/storage.go). */
function instance(title: string, repoPath: string, worktreePath: string, status: number) {
  return {
    title,
    path: repoPath,
    branch: `alice/${title}`,
    status,
    height: 40,
    width: 120,
    created_at: '2026-12-02T21:14:05.123456789Z',
    updated_at: '2026-12-02T22:01:44.5Z',
    auto_yes: false,
    program: 'claude',
    worktree: { repo_path: repoPath, worktree_path: worktreePath, session_name: title, branch_name: `alice/${title}`, base_commit_sha: 'a'.repeat(40), is_existing_branch: false },
    diff_stats: { added: 3, removed: 1, content: 'diff --git a/x b/x\n' },
  };
}

/** state.json as a Go program would leave it, written by python3 (json.dump, indent 0). */
function writeState(f: Fixture, data: unknown): void {
  execFileSync('python3', ['-c', 'import json, sys\nwith open(sys.argv[1], "w") as fh: json.dump(json.loads(sys.argv[2]), fh, indent=0)', f.state, JSON.stringify(data)]);
}

/** state.json as an independent reader sees it. */
function readState(f: Fixture): { help_screens_seen: number; instances: ReturnType<typeof instance>[]; zz_unknown?: unknown } {
  return JSON.parse(execFileSync('python3', ['-c', 'import json, sys\nprint(json.dumps(json.load(open(sys.argv[1]))))', f.state], { encoding: 'utf8' }));
}

/** The session fix-login of this repository (dirty worktree, Running) and one of another repository. */
function squad(f: Fixture, status = 0): string {
  const wt = join(f.home, '.claude-squad', 'worktrees', 'fix-login_18a2f3c4d5e6f708');
  git(f.repo.root, 'worktree', 'add', '-q', '-b', 'alice/fix-login', wt);
  writeFileSync(join(wt, 'README.md'), 'hello, edited by the agent\n');
  writeFileSync(join(wt, 'login.ts'), 'export const fixed = true;\n');
  const other = join(f.repo.base, 'other-repo');
  writeState(f, {
    help_screens_seen: 3,
    instances: [instance('other-task', other, join(f.home, '.claude-squad', 'worktrees', 'other-task_1'), 0), instance('fix-login', f.repo.root, wt, status)],
    zz_unknown: { kept: [1, 2.5, 'x'] },
  });
  f.worktree = wt;
  return wt;
}

function find(report: DiagnoseReport, id: string): Finding {
  const found = report.findings.find((x) => x.id === id);
  assert.ok(found, `${id} in ${JSON.stringify(report.findings.map((x) => x.id))}`);
  return found;
}

const TARGET = { action: 'claude-squad.pause' as const, subject: 'fix-login' };

test('tmux names and liveness: the name as claude-squad derives it; a missing server is gone, a missing tmux unknown', async (t) => {
  assert.equal(squadTmuxName('fix login.v2'), 'claudesquad_fixlogin_v2');
  const f = fixture(t);
  assert.deepEqual(await tmuxSessionState('claudesquad_x', f.env), { state: 'gone' });
  tmux(f, 'new-session', '-d', '-s', 'claudesquad_xy');
  assert.deepEqual(await tmuxSessionState('claudesquad_xy', f.env), { state: 'alive' });
  // `=`: exact, a prefix of a running session's name is not that session.
  assert.deepEqual(await tmuxSessionState('claudesquad_x', f.env), { state: 'gone' });
  const none = await tmuxSessionState('claudesquad_xy', { ...f.env, PATH: join(f.repo.base, 'no-bin') });
  assert.equal(none.state, 'unknown');
});

test('the status edit changes that one value and keeps every other byte', () => {
  const text = '{"help_screens_seen":0,\n"instances":[\n{"title":"a","status":0,"x":{"status":1}},\n{"title":"b","status" : 2 ,"zz":"\\u00e9"}\n],"later":true}';
  const bytes = Buffer.from(text);
  const out = withStatus({ bytes, sha256: '', instances: [] }, 1, 3).toString('utf8');
  assert.equal(out, text.replace('"status" : 2 ', '"status" : 3 '));
  assert.throws(() => withStatus({ bytes: Buffer.from('{"instances":[{"status":0,"status":1}]}'), sha256: '', instances: [] }, 0, 3), FixupRefused);
});

test('absent state.json: the source is not there; garbage: a note, no findings, no crash', async (t) => {
  const f = fixture(t);
  const scan = await scanGit(f.ws, null);
  assert.equal(await readClaudeSquad(f.ws, scan), null);
  writeFileSync(f.state, '{"instances": [ {"title": "fix-login", ');
  const read = await readClaudeSquad(f.ws, scan);
  assert.ok(read?.note && /not valid JSON/.test(read.note) && !read.note.includes('\n'), read?.note);
  assert.deepEqual(read.findings, []);
  const report = await diagnose(f.ws);
  assert.ok(!report.findings.some((x) => x.source === 'claude-squad'));
  assert.match(report.tools.find((x) => x.source === 'claude-squad')?.note ?? '', /not valid JSON/);
});

test('a live tmux session: the session is a workstream, no ghost run, pause refused (busy) with state.json and the repository unchanged', async (t) => {
  const f = fixture(t);
  squad(f);
  tmux(f, 'new-session', '-d', '-s', 'claudesquad_fix-login');
  const report = await diagnose(f.ws);
  const tool = report.tools.find((x) => x.source === 'claude-squad');
  assert.ok(tool, JSON.stringify(report.tools));
  assert.deepEqual(
    tool.workstreams.map((w) => [w.id, w.status, w.agent, w.branch, w.worktree, w.owner?.tmuxSession]),
    [['fix-login', 'Running', 'claude', 'alice/fix-login', f.worktree, 'claudesquad_fix-login']],
    'the other repository\'s session is filtered out',
  );
  assert.ok(!report.findings.some((x) => x.kind === 'ghost-run'), JSON.stringify(report.findings));
  // git's findings on the worktree are the tool's now, and nothing destructive is offered on it.
  for (const x of report.findings.filter((x) => x.subject === f.worktree)) {
    assert.equal(x.source, 'claude-squad');
    assert.ok(!x.actions.some((a) => /^worktree\.remove|^branch\.delete/.test(a.id)), JSON.stringify(x.actions));
  }

  const before = hashTree(f.repo.base, SKIP);
  const preview = await pauseHandler.preview(f.ws, TARGET);
  assert.equal(preview.refusal?.code, 'busy', JSON.stringify(preview.refusal));
  assert.match(preview.refusal!.reason, /claudesquad_fix-login is running/);
  await assert.rejects(pauseHandler.apply(f.ws, TARGET, { discard: false, journal: journalIn(f.repo) }), (e: unknown) => e instanceof FixupRefused && e.code === 'busy');
  assert.deepEqual(treeDiff(before, hashTree(f.repo.base, SKIP)), []);
  assert.equal(readState(f).instances[1]!.status, 0);
});

test('the tmux session gone: a ghost run; pause commits the work, removes the worktree, keeps the branch, sets status 3; undo brings all of it back', async (t) => {
  const f = fixture(t);
  const wt = squad(f);
  tmux(f, 'new-session', '-d', '-s', 'claudesquad_fix-login');
  tmux(f, 'kill-session', '-t', '=claudesquad_fix-login');
  const original = readFileSync(f.state);
  const mode = statSync(f.state).mode & 0o777;
  const base = git(f.repo.root, 'rev-parse', 'alice/fix-login').trim();

  const ghost = find(await diagnose(f.ws), 'ghost-run:fix-login');
  assert.equal(ghost.source, 'claude-squad');
  assert.match(ghost.detail, /claude-squad session fix-login is Running but its tmux session claudesquad_fix-login is gone \(after a reboot claude-squad exits with `error capturing pane content`\)/);
  // The most a pause can do (ignored files go with the folder); this plan, with none, is reversible.
  assert.deepEqual(ghost.actions.map((a) => [a.id, a.effect]), [['claude-squad.pause:fix-login', 'destructive']]);
  assert.equal(ghost.facts?.ownerAlive, false);

  // An ignored file would be deleted with the folder, and undo cannot bring it back: the plan is
  // destructive, lists it, and apply refuses until exactly that is confirmed.
  mkdirSync(join(wt, '.state'), { recursive: true });
  writeFileSync(join(wt, '.state', 'cache.db'), 'regenerable\n');
  const risky = await pauseHandler.preview(f.ws, TARGET);
  assert.equal(risky.effect, 'destructive');
  assert.deepEqual(risky.discards, { files: ['.state/'], commits: [] });
  await assert.rejects(pauseHandler.apply(f.ws, TARGET, { discard: false, confirmed: risky, journal: journalIn(f.repo) }), /--discard/);
  assert.equal(readFileSync(f.state, 'utf8'), original.toString('utf8'), 'refused: state.json untouched');
  assert.ok(existsSync(join(wt, '.state', 'cache.db')), 'refused: the worktree untouched');
  rmSync(join(wt, '.state'), { recursive: true, force: true });

  const preview = await pauseHandler.preview(f.ws, TARGET);
  assert.equal(preview.refusal, undefined, preview.refusal?.reason);
  assert.equal(preview.effect, 'reversible', 'nothing ignored: undo brings everything back');
  const message = "[claudesquad] update from 'fix-login' on 03 Dec 26 06:41 UTC (paused)";
  assert.deepEqual(preview.git, [
    ['-C', wt, 'add', '--all', '--', '.'],
    ['-C', wt, 'commit', '--no-verify', '--quiet', '-m', message],
    ['worktree', 'remove', '--end-of-options', wt],
    ['worktree', 'prune'],
  ]);
  assert.ok(preview.files?.includes(f.state), JSON.stringify(preview.files));
  assert.ok(preview.notes.some((n) => /from 0 \(Running\) to 3 \(Paused\)/.test(n)), preview.notes.join('\n'));

  const journal = journalIn(f.repo);
  const result = await pauseHandler.apply(f.ws, TARGET, { discard: false, confirmed: preview, journal });
  assert.equal(result.ok, true, result.message);
  const after = readState(f);
  assert.equal(after.instances[1]!.status, 3);
  assert.deepEqual(after.instances[0], instance('other-task', join(f.repo.base, 'other-repo'), join(f.home, '.claude-squad', 'worktrees', 'other-task_1'), 0));
  assert.deepEqual(after.zz_unknown, { kept: [1, 2.5, 'x'] });
  assert.equal(after.help_screens_seen, 3);
  assert.deepEqual(Object.keys(after), ['help_screens_seen', 'instances', 'zz_unknown']);
  assert.equal(readFileSync(f.state, 'utf8'), original.toString('utf8').replace(/"status": 0,(\n"height": 40,\n"width": 120,\n"created_at": "2026-12-02T21:14:05.123456789Z",\n"updated_at": "2026-12-02T22:01:44.5Z",\n"auto_yes": false,\n"program": "claude",\n"worktree": \{\n"repo_path": "[^"]*\/repo")/, '"status": 3,$1'));
  assert.equal(statSync(f.state).mode & 0o777, mode);
  assert.equal(existsSync(wt), false, 'the worktree folder is gone');
  assert.equal(git(f.repo.root, 'log', '-1', '--format=%s', 'alice/fix-login').trim(), message);
  assert.equal(git(f.repo.root, 'show', 'alice/fix-login:login.ts'), 'export const fixed = true;\n');
  assert.equal(git(f.repo.root, 'rev-parse', 'alice/fix-login^').trim(), base);
  assert.ok(!git(f.repo.root, 'worktree', 'list', '--porcelain').includes(wt));

  const entry = await pickUndoEntry(journal);
  assert.equal(entry.undo.kind, 'claude-squad-pause');
  const undone = await undoEntry(f.ws, entry, defaultSources(), journal);
  assert.equal(undone.ok, true, undone.message);
  assert.equal(readState(f).instances[1]!.status, 0);
  assert.ok(readFileSync(f.state).equals(original), 'state.json is byte for byte as before');
  assert.equal(git(wt, 'rev-parse', 'HEAD').trim(), base);
  assert.equal(git(wt, 'status', '--porcelain', '--untracked-files=all'), ' M README.md\n?? login.ts\n');
  assert.equal(readFileSync(join(wt, 'login.ts'), 'utf8'), 'export const fixed = true;\n');
});

test('pause refuses (busy) when state.json changed since the preview, and while claude-squad\'s daemon runs', async (t) => {
  const f = fixture(t);
  squad(f);
  const preview = await pauseHandler.preview(f.ws, TARGET);
  assert.equal(preview.refusal, undefined, preview.refusal?.reason);
  const data = readState(f);
  data.help_screens_seen = 4;
  writeState(f, data);
  const before = hashTree(f.repo.base, SKIP);
  await assert.rejects(pauseHandler.apply(f.ws, TARGET, { discard: false, confirmed: preview, journal: journalIn(f.repo) }), (e: unknown) => e instanceof FixupRefused && e.code === 'busy' && /changed since the preview/.test(e.message));
  assert.deepEqual(treeDiff(before, hashTree(f.repo.base, SKIP)), []);

  const daemon: ChildProcess = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  t.after(() => daemon.kill('SIGKILL'));
  writeFileSync(join(f.home, '.claude-squad', 'daemon.pid'), `${daemon.pid}`);
  const busy = await pauseHandler.preview(f.ws, TARGET);
  assert.equal(busy.refusal?.code, 'busy');
  assert.match(busy.refusal!.reason, /daemon/);
});

test('tmux cannot be asked: the finding says so and offers nothing; pause refuses', async (t) => {
  const f = fixture(t);
  squad(f);
  const ws = { ...f.ws, env: { ...f.env, PATH: join(f.repo.base, 'no-bin') } };
  const ghost = find(await diagnose(ws), 'ghost-run:fix-login');
  assert.match(ghost.detail, /tmux could not be asked/);
  assert.deepEqual(ghost.actions, []);
  assert.equal((await pauseHandler.preview(ws, TARGET)).refusal?.code, 'unsafe');
});

test('the CLI: diagnose --json names the source claude-squad (HOME and TMUX_TMPDIR in the child\'s environment)', async (t) => {
  const f = fixture(t);
  squad(f);
  const cli = await cliBundle();
  const r = spawnSync(process.execPath, [cli, 'diagnose', '--json'], { cwd: f.repo.root, env: { ...f.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /"source": "claude-squad"/);
  const findings = (JSON.parse(r.stdout) as { findings: { id: string; source: string; actions: { id: string }[] }[] }).findings;
  const ghost = findings.find((x) => x.id === 'ghost-run:fix-login');
  assert.equal(ghost?.source, 'claude-squad');
  assert.deepEqual(ghost.actions.map((a) => a.id), ['claude-squad.pause:fix-login']);

  // A state file that is not JSON: one note line, exit 0, no claude-squad finding.
  writeFileSync(f.state, '\u0000garbage');
  const text = spawnSync(process.execPath, [cli, 'diagnose'], { cwd: f.repo.root, env: { ...f.env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^note: claude-squad's .*state\.json is not valid JSON; its sessions are not shown\.$/m);
  assert.doesNotMatch(text.stdout, /ghost-run/);
});

test('a tampered pause entry is refused before anything runs: other git operations, paths with "..", a link out of the worktrees folder', async (t) => {
  const f = fixture(t);
  squad(f);
  const journal = journalIn(f.repo);
  const dir = join(f.repo.base, 'journal');
  mkdirSync(dir, { recursive: true });
  const id = '20261201T235959999Z-bbbbbb';
  const sha = 'b'.repeat(64);
  const write = (undo: object) =>
    writeFileSync(join(dir, `${id}.json`), JSON.stringify({ id, time: '2026-12-01T23:59:59.999Z', actionId: 'claude-squad.pause:fix-login', title: 'Pause claude-squad session fix-login', state: 'done', undo }));
  const recipe = (ops: object[], extra: object = {}) => ({ kind: 'claude-squad-pause', title: 'fix-login', backup: '.state/backups/claude-squad/x/state.json', originalSha256: sha, ops, description: 'x', ...extra });
  const recreate = (path: string) => ({ op: 'recreate-worktree', path, branch: 'alice/fix-login', sha: 'c'.repeat(40) });
  const before = hashTree(f.repo.base, SKIP);
  for (const [undo, why] of [
    [recipe([{ op: 'delete-ref', ref: 'refs/heads/main', expect: 'c'.repeat(40) }]), /may only re-create a worktree or take back a commit/],
    [recipe([recreate('../../victim')]), /must not contain "\.\."/],
    [recipe([recreate('x')], { backup: '../outside/state.json' }), /must not contain "\.\."/],
    [recipe([recreate('x')], { title: '-rf' }), /valid session title/],
  ] as const) {
    write(undo);
    await assert.rejects(journal.get(id), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe' && why.test(e.message), JSON.stringify(undo));
  }
  // Well-formed, but the path leads out of claude-squad's worktrees folder through a link.
  const { symlinkSync } = await import('node:fs');
  symlinkSync(f.repo.base, join(f.home, '.claude-squad', 'worktrees', 'link'));
  write(recipe([recreate('link/escaped')]));
  const entry = (await journal.get(id))!;
  await assert.rejects(undoEntry(f.ws, entry, defaultSources(), journal), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe' && /leads outside/.test(e.message));
  const after = hashTree(f.repo.base, { skip: [...SKIP.skip, 'journal', 'home/.claude-squad/worktrees/link'] });
  assert.deepEqual(treeDiff(new Map([...before].filter(([k]) => !k.startsWith('journal'))), after), []);
});

/** `lifeline fix claude-squad.pause:fix-login --yes` in a child stopped at `step` and killed there. */
async function killedAt(f: Fixture, step: string): Promise<void> {
  const pauses = join(f.repo.base, 'pauses');
  mkdirSync(pauses, { recursive: true });
  const child = spawn(process.execPath, [await cliBundle(), 'fix', 'claude-squad.pause:fix-login', '--yes'], {
    cwd: f.repo.root,
    env: { ...f.env, NO_COLOR: '1', LIFELINE_TEST_PAUSE_DIR: pauses, LIFELINE_TEST_PAUSE_AT: step },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const until = Date.now() + 30_000;
  const { readdirSync } = await import('node:fs');
  while (!readdirSync(pauses).some((n) => n.endsWith(`.${step}.1.reached`))) {
    assert.ok(Date.now() < until && child.exitCode === null, `the child reached ${step}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await exited;
}

test('killed after every change but before the journal commit: undo of the interrupted entry brings everything back; killed right after the intent: undo settles it', async (t) => {
  const { openJournal } = await import('../../../src/core/fixups/journal');
  const f = fixture(t);
  const wt = squad(f);
  const original = readFileSync(f.state);
  const base = git(f.repo.root, 'rev-parse', 'alice/fix-login').trim();
  await killedAt(f, 'changed');
  assert.equal(readState(f).instances[1]!.status, 3);
  assert.equal(existsSync(wt), false);
  const journal = openJournal(f.ws);
  const [entry] = await journal.list();
  assert.equal(entry?.state, 'intent');
  const undone = await undoEntry(f.ws, entry, defaultSources(), journal);
  assert.equal(undone.ok, true, undone.message);
  assert.equal(undone.notApplied, undefined);
  assert.ok(readFileSync(f.state).equals(original));
  assert.equal(git(wt, 'rev-parse', 'HEAD').trim(), base);
  assert.equal(git(wt, 'status', '--porcelain', '--untracked-files=all'), ' M README.md\n?? login.ts\n');

  await killedAt(f, 'intent-written');
  const second = (await journal.list()).find((e) => e.id !== entry.id)!;
  assert.equal(second.state, 'intent');
  const settled = await undoEntry(f.ws, second, defaultSources(), journal);
  assert.equal(settled.notApplied, true, settled.message);
  assert.equal((await journal.get(second.id))?.state, 'abandoned');
  assert.ok(readFileSync(f.state).equals(original));
  assert.equal(git(wt, 'status', '--porcelain', '--untracked-files=all'), ' M README.md\n?? login.ts\n');
});
