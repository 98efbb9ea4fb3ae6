// The codex source against real state: a fixture CODEX_HOME with real git worktrees where Codex
// puts them (`<codex home>/worktrees/<id>/<repo>`), one dirty, one whose folder was deleted, one
// pruned away; and `state_5.sqlite` written by python3 in WAL mode and left with its last rows
// only in the -wal (autocheckpoint off, exit without closing), as a crashed or running Codex
// leaves it. Detection, each finding's source and kind, the WAL rows seen, other repositories'
// threads left out, Codex's files byte for byte unchanged, a corrupt database, a live holder,
// the generic worktree fix-ups, and the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codexTime, stateDbIn, threadWorkstreamId } from '../../../src/core/engine/codex';
import { diagnose } from '../../../src/core/engine/diagnose';
import type { DiagnoseReport } from '../../../src/core/engine/diagnose';
import { isWorkstreamId } from '../../../src/core/fixups/names';
import { FixupRefused } from '../../../src/core/fixups/types';
import type { Finding, WorkspaceContext } from '../../../src/core/fixups/types';
import type { Workstream } from '../../../src/core/fixups/workstream';
import { pruneHandler } from '../../../src/core/git/fixups/prune';
import { removeHandler } from '../../../src/core/git/fixups/remove';
import { saveWipHandler } from '../../../src/core/git/fixups/save-wip';
import { unlockHandler } from '../../../src/core/git/fixups/unlock';
import { undoGitEntry } from '../../../src/core/git/undo';
import { cli } from '../fixups/cli-harness';
import { addWorktree, git, journalIn, makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { hashTree, treeDiff } from '../hostile/tree-hash';

// No test here may see the real home: the process's own lookups (the CLI's) go to a fixture too.
const fixtureHome = realTemp('codex-proc-home');
process.env.HOME = fixtureHome;
process.env.XDG_CONFIG_HOME = join(fixtureHome, '.config');
process.env.XDG_DATA_HOME = join(fixtureHome, '.local', 'share');
delete process.env.CODEX_HOME;
delete process.env.CODEX_SQLITE_HOME;

function realTemp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `lifeline-${prefix}-`));
}

const NOW_S = Math.floor(Date.now() / 1000);

interface Thread {
  id: string;
  title?: string | null;
  cwd: string;
  git_branch?: string | null;
  created_at?: number;
  updated_at?: number;
  archived?: number;
  rollout_path?: string;
}

/** Codex's threads table (migrations/0001 plus later columns), in WAL mode: `checkpointed` go into the main file, `walOnly` stay only in the -wal. */
const WRITE_STATE = `
import json, os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA journal_mode=WAL')
c.execute('PRAGMA wal_autocheckpoint=0')
c.execute('''CREATE TABLE IF NOT EXISTS threads (id TEXT PRIMARY KEY, rollout_path TEXT NOT NULL, created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, source TEXT NOT NULL DEFAULT 'cli', model_provider TEXT, cwd TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',
  sandbox_policy TEXT, approval_mode TEXT, tokens_used INTEGER NOT NULL DEFAULT 0, archived INTEGER NOT NULL DEFAULT 0, archived_at INTEGER,
  git_sha TEXT, git_branch TEXT, git_origin_url TEXT, name TEXT, agent_nickname TEXT)''')
def put(rows):
    c.execute('BEGIN')
    for r in rows:
        c.execute('INSERT INTO threads (id, rollout_path, created_at, updated_at, cwd, title, archived, git_branch) VALUES (?,?,?,?,?,?,?,?)',
                  (r['id'], r.get('rollout_path', '/nowhere/rollout.jsonl'), r.get('created_at', 0), r.get('updated_at', 0), r['cwd'], r.get('title') or '', r.get('archived', 0), r.get('git_branch')))
    c.execute('COMMIT')
put(json.loads(sys.argv[2]))
c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
put(json.loads(sys.argv[3]))
if sys.argv[4] == 'hold':
    print('ready', flush=True)
    sys.stdin.read()
sys.stdout.flush()
os._exit(0)
`;

function writeState(db: string, checkpointed: Thread[], walOnly: Thread[]): void {
  const r = spawnSync('python3', ['-c', WRITE_STATE, db, JSON.stringify(checkpointed), JSON.stringify(walOnly), 'exit'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** A python process holding the state database open (as a running Codex does), the WAL hot. */
function holdState(db: string, rows: Thread[]): Promise<{ pid: number; stop: () => Promise<void> }> {
  const proc = spawn('python3', ['-c', WRITE_STATE, db, '[]', JSON.stringify(rows), 'hold'], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
    proc.stdout!.once('data', () =>
      resolve({
        pid: proc.pid!,
        stop: () =>
          new Promise<void>((done) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return done();
            proc.once('exit', () => done());
            proc.kill('SIGKILL');
          }),
      }),
    );
  });
}

/** Rows python reads from a copy of the main file alone (no -wal): what was checkpointed. */
function mainFileIds(db: string): string[] {
  const dir = realTemp('codex-main-only');
  try {
    copyFileSync(db, join(dir, 'main.sqlite'));
    const r = spawnSync('python3', ['-c', 'import json, sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(c.execute("PRAGMA integrity_check").fetchone()[0])\nprint(json.dumps(sorted(r[0] for r in c.execute("SELECT id FROM threads"))))', join(dir, 'main.sqlite')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const [integrity, ids] = r.stdout.trim().split('\n');
    assert.equal(integrity, 'ok');
    return JSON.parse(ids!) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sha(path: string): string | null {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null;
}

function find(report: DiagnoseReport, id: string): Finding {
  const f = report.findings.find((x) => x.id === id);
  assert.ok(f, `${id} in ${JSON.stringify(report.findings.map((x) => x.id))}`);
  return f;
}

function codexWorkstreams(report: DiagnoseReport): Workstream[] | null {
  return report.tools.find((t) => t.source === 'codex')?.workstreams ?? null;
}

interface Fixture {
  repo: TestRepo;
  home: string;
  codex: string;
  db: string;
  ws: WorkspaceContext;
  env: NodeJS.ProcessEnv;
  live: string;
  gone: string;
  pruned: string;
  other: string;
}

const IDS = {
  main: '019a0001-0000-7000-8000-000000000001',
  live: '019a0002-0000-7000-8000-000000000002',
  gone: '019a0003-0000-7000-8000-000000000003',
  pruned: '019a0004-0000-7000-8000-000000000004',
  archived: '019a0005-0000-7000-8000-000000000005',
  otherMain: '019a0006-0000-7000-8000-000000000006',
  otherGone: '019a0007-0000-7000-8000-000000000007',
  otherSub: '019a0008-0000-7000-8000-000000000008',
  second: '019a000b-0000-7000-8000-00000000000b',
};

/**
 * The repository `app`, Codex's worktrees of it (`live` dirty, `gone` deleted but still listed,
 * `pruned` deleted and pruned, its branch kept) and another repository also named `app`, with
 * threads for both; the threads of `gone`, `pruned` and the other repository's are only in the -wal.
 */
function fixture(t: { after(fn: () => void): void }): Fixture {
  const repo = makeRepo('app');
  t.after(() => repo.cleanup());
  const home = join(repo.base, 'home');
  const codex = join(home, '.codex');
  mkdirSync(join(codex, 'sessions'), { recursive: true });
  const live = addWorktree(repo, join(codex, 'worktrees', 'a1b2', 'app'), 'codex/fix-login');
  writeFileSync(join(live, 'login.ts'), 'export const fixed = true;\n');
  const gone = addWorktree(repo, join(codex, 'worktrees', 'c3d4', 'app'), 'codex/gone');
  writeFileSync(join(gone, 'done.txt'), 'committed\n');
  repo.commit('work in gone', gone);
  const pruned = addWorktree(repo, join(codex, 'worktrees', 'e5f6', 'app'), 'codex/pruned');
  rmSync(pruned, { recursive: true, force: true });
  git(repo.root, 'worktree', 'prune');
  rmSync(gone, { recursive: true, force: true });
  const otherRoot = join(repo.base, 'elsewhere', 'app');
  mkdirSync(otherRoot, { recursive: true });
  git(otherRoot, 'init', '-q', '-b', 'main');

  const db = join(codex, 'state_5.sqlite');
  const rollout = (id: string) => join(codex, 'sessions', '2026', '12', '01', `rollout-2026-12-01T10-00-00-${id}.jsonl`);
  writeState(
    db,
    [
      { id: IDS.main, title: 'Explain the build', cwd: repo.root, git_branch: 'main', created_at: NOW_S - 3600, updated_at: NOW_S - 60 },
      { id: IDS.live, title: 'Fix the login', cwd: join(live, 'src'), git_branch: 'codex/fix-login', created_at: (NOW_S - 7200) * 1000, updated_at: (NOW_S - 120) * 1000 },
    ],
    [
      { id: IDS.gone, title: 'Refactor auth', cwd: gone, git_branch: 'codex/gone', created_at: NOW_S - 500, updated_at: NOW_S - 400, rollout_path: rollout(IDS.gone) },
      { id: IDS.second, title: 'Second look', cwd: join(gone, 'src'), git_branch: 'codex/gone', created_at: NOW_S - 300, updated_at: NOW_S - 200 },
      { id: IDS.pruned, title: 'Add metrics', cwd: pruned, git_branch: 'codex/pruned', created_at: NOW_S - 500, updated_at: NOW_S - 400, rollout_path: rollout(IDS.pruned) },
      { id: IDS.archived, title: 'Old spike', cwd: join(codex, 'worktrees', 'a0a0', 'app'), git_branch: 'codex/pruned', created_at: NOW_S - 9000, updated_at: NOW_S - 8000, archived: 1 },
      { id: IDS.otherMain, title: 'Other repo, same folder name', cwd: otherRoot, git_branch: 'main', created_at: NOW_S, updated_at: NOW_S },
      { id: IDS.otherGone, title: 'Other repo worktree', cwd: join(codex, 'worktrees', 'zz99', 'app'), git_branch: 'codex/other-work', created_at: NOW_S, updated_at: NOW_S },
      { id: IDS.otherSub, title: 'Sibling folder', cwd: `${repo.root}-old`, git_branch: 'codex/gone', created_at: NOW_S, updated_at: NOW_S },
    ],
  );
  const env: NodeJS.ProcessEnv = { HOME: home, CODEX_HOME: codex, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), TMPDIR: join(home, 'tmp') };
  return { repo, home, codex, db, ws: { ...repo.ws(), env }, env, live, gone, pruned, other: otherRoot };
}

test('helpers: epoch seconds and milliseconds, safe workstream ids, the highest state_<N>.sqlite', () => {
  const when = Date.UTC(2026, 11, 1, 10, 0, 0);
  assert.equal(codexTime(when / 1000)?.getTime(), when);
  assert.equal(codexTime(when)?.getTime(), when);
  assert.equal(codexTime(String(when / 1000))?.getTime(), when);
  assert.equal(codexTime(null), null);
  assert.equal(threadWorkstreamId(IDS.live), IDS.live);
  const odd = threadWorkstreamId('../../etc/passwd; rm -rf /');
  assert.ok(isWorkstreamId(odd) && odd.startsWith('codex-'), odd);
  assert.notEqual(odd, threadWorkstreamId('../../etc/passwd; rm -rf /x'));
  const dir = realTemp('codex-dbs');
  try {
    assert.equal(stateDbIn(dir), null);
    writeFileSync(join(dir, 'state_5.sqlite'), '');
    writeFileSync(join(dir, 'logs_2.sqlite'), '');
    assert.equal(stateDbIn(dir), join(dir, 'state_5.sqlite'));
    writeFileSync(join(dir, 'state_12.sqlite'), '');
    assert.equal(stateDbIn(dir), join(dir, 'state_12.sqlite'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('detection: no Codex home and no Codex worktree -> the source is not there', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const home = join(repo.base, 'home');
  mkdirSync(home);
  const report = await diagnose({ ...repo.ws(), env: { HOME: home } });
  assert.equal(codexWorkstreams(report), null);
  assert.ok(!report.findings.some((f) => f.source === 'codex'));
});

test('threads of this repository become codex workstreams, rows only in the -wal included, other repositories\' left out', async (t) => {
  const fx = fixture(t);
  const walOnly = [IDS.gone, IDS.pruned, IDS.otherMain, IDS.otherGone, IDS.otherSub];
  assert.deepEqual(mainFileIds(fx.db), [IDS.main, IDS.live], 'the later rows are only in the -wal');

  const report = await diagnose(fx.ws);
  const streams = codexWorkstreams(report);
  assert.ok(streams);
  const byId = new Map(streams.map((w) => [w.id, w]));
  assert.deepEqual([...byId.keys()].sort(), [IDS.main, IDS.live, IDS.gone, IDS.second, IDS.pruned, IDS.archived].sort());
  assert.equal(byId.get(IDS.archived)!.status, 'archived');
  for (const id of walOnly.slice(2)) assert.ok(!byId.has(id), `${id} is another repository's thread`);
  const live = byId.get(IDS.live)!;
  assert.equal(live.source, 'codex');
  assert.equal(live.title, 'Fix the login');
  assert.equal(live.branch, 'codex/fix-login');
  assert.equal(live.worktree, fx.live);
  assert.equal(live.startedAt?.getTime(), (NOW_S - 7200) * 1000, 'milliseconds detected');
  assert.equal(byId.get(IDS.main)!.startedAt?.getTime(), (NOW_S - 3600) * 1000, 'seconds detected');
  assert.equal(byId.get(IDS.main)!.worktree, null, 'the main checkout is no worktree');
  assert.equal(byId.get(IDS.gone)!.worktree, fx.gone);
});

test('findings: git\'s on Codex worktrees re-tagged codex with their generic actions; a thread whose worktree is gone, read-only; nothing for other repositories', async (t) => {
  const fx = fixture(t);
  const report = await diagnose(fx.ws);

  const prunable = find(report, `prunable-worktree:${fx.gone}`);
  assert.equal(prunable.source, 'codex');
  assert.deepEqual(prunable.actions.map((a) => a.id), ['worktree.prune']);

  const gone = find(report, `orphaned-worktree:${fx.gone}`);
  assert.equal(gone.source, 'codex');
  assert.equal(gone.scenario, 'orchestrator-crash');
  assert.deepEqual(gone.actions, []);
  assert.match(gone.detail, /Codex thread "Refactor auth" works in .*no longer exists: branch codex\/gone still holds its commits \(git log codex\/gone\)/);
  assert.match(gone.detail, /~\/\.codex\/sessions\/2026\/12\/01\/rollout-.*\.jsonl/);
  assert.equal(gone.facts?.thread, IDS.gone);
  assert.match(gone.detail, /Thread "Second look" worked there too\./, 'one finding per worktree, every thread named');
  assert.equal(report.findings.filter((f) => f.id === gone.id).length, 1);

  const pruned = find(report, `orphaned-worktree:${fx.pruned}`);
  assert.equal(pruned.source, 'codex');
  assert.match(pruned.detail, /"Add metrics".*git log codex\/pruned/);

  // The live worktree's unsaved login.ts: saving it on its branch is offered (Codex may remove the worktree).
  const dirty = find(report, `dirty-worktree:${fx.live}`);
  assert.equal(dirty.source, 'codex');
  assert.deepEqual(dirty.actions.map((a) => a.id), [`worktree.save-wip:${fx.live}`]);
  assert.match(dirty.detail, /Codex worktree .* on codex\/fix-login holds 1 uncommitted file\./);
  assert.equal(dirty.facts?.dirtyFiles, 1);

  const codex = report.findings.filter((f) => f.source === 'codex');
  assert.deepEqual(codex.map((f) => f.id).sort(), [`dirty-worktree:${fx.live}`, `orphaned-worktree:${fx.gone}`, `orphaned-worktree:${fx.pruned}`, `prunable-worktree:${fx.gone}`].sort(), 'the archived thread and the other repositories\' threads raise nothing');
  assert.ok(!report.findings.some((f) => f.detail.includes('Other repo') || f.subject.includes('zz99') || f.subject.includes('a0a0')), JSON.stringify(report.findings));
});

test('a thread in another repository with the same folder name is not reported, even when its Codex worktree is gone', async (t) => {
  const fx = fixture(t);
  // The other `app` also has a Codex worktree, deleted: same folder name, its own branch.
  writeState(join(fx.codex, 'state_5.sqlite'), [], [{ id: '019a0009-0000-7000-8000-000000000009', title: 'Same name', cwd: join(fx.codex, 'worktrees', 'b7b7', 'app'), git_branch: 'main' }]);
  const report = await diagnose(fx.ws);
  const ids = (codexWorkstreams(report) ?? []).map((w) => w.id);
  assert.ok(!ids.includes('019a0009-0000-7000-8000-000000000009'), 'branch main is no evidence the worktree was ours');
  assert.ok(!ids.includes(IDS.otherMain) && !ids.includes(IDS.otherGone) && !ids.includes(IDS.otherSub), ids.join(' '));
  assert.ok(!report.findings.some((f) => f.subject.includes('b7b7') || f.subject.includes('zz99') || f.subject.startsWith(fx.other)), JSON.stringify(report.findings.map((f) => f.id)));
});

test('diagnose changes no byte of Codex\'s database: main file, -wal and -shm hash the same after', async (t) => {
  const fx = fixture(t);
  const files = [fx.db, `${fx.db}-wal`, `${fx.db}-shm`];
  assert.ok(existsSync(`${fx.db}-wal`) && existsSync(`${fx.db}-shm`), 'python left the WAL and shared memory behind');
  const before = files.map(sha);
  const tree = hashTree(fx.codex);
  await diagnose(fx.ws);
  await diagnose(fx.ws);
  assert.deepEqual(files.map(sha), before);
  assert.deepEqual(treeDiff(tree, hashTree(fx.codex)), []);
});

test('a corrupt state database is one read-only finding, and diagnose still reports the rest', async (t) => {
  const fx = fixture(t);
  for (const s of ['', '-wal', '-shm']) rmSync(`${fx.db}${s}`, { force: true });
  writeFileSync(fx.db, Buffer.concat([Buffer.from('not a database, whatever Codex #21750 left\n'), Buffer.alloc(4096, 7)]));
  const before = sha(fx.db);
  const report = await diagnose(fx.ws);
  const bad = report.findings.filter((f) => f.source === 'codex' && f.kind === 'db-unreadable');
  assert.equal(bad.length, 1, JSON.stringify(report.findings));
  assert.equal(bad[0]!.subject, '~/.codex/state_5.sqlite');
  assert.deepEqual(bad[0]!.actions, []);
  assert.match(bad[0]!.detail, /cannot be read: not a SQLite database.*quit every Codex window and CLI before moving anything/);
  assert.equal(find(report, `prunable-worktree:${fx.gone}`).source, 'codex', 'the worktree findings are still there');
  assert.deepEqual(codexWorkstreams(report), []);
  assert.equal(sha(fx.db), before);
});

test('CODEX_SQLITE_HOME moves the database; a running Codex holding a hot WAL is one read-only finding naming it', async (t) => {
  const fx = fixture(t);
  const sqliteHome = join(fx.home, 'sqlite');
  mkdirSync(sqliteHome);
  const db = join(sqliteHome, 'state_5.sqlite');
  const holder = await holdState(db, [{ id: '019a000a-0000-7000-8000-00000000000a', title: 'Moved', cwd: fx.repo.root }]);
  t.after(() => holder.stop());
  const ws = { ...fx.ws, env: { ...fx.env, CODEX_SQLITE_HOME: sqliteHome } };
  const report = await diagnose(ws);
  assert.deepEqual((codexWorkstreams(report) ?? []).map((w) => w.id), ['019a000a-0000-7000-8000-00000000000a'], 'read from CODEX_SQLITE_HOME, while the writer holds it');
  const hot = report.findings.filter((f) => f.source === 'codex' && f.kind === 'hot-wal');
  assert.equal(hot.length, 1, JSON.stringify(report.findings));
  assert.equal(hot[0]!.subject, '~/sqlite/state_5.sqlite');
  assert.deepEqual(hot[0]!.actions, []);
  assert.match(hot[0]!.detail, new RegExp(`Codex is running: pid ${holder.pid} .*Quit Codex before moving`));
  // While Codex runs, nothing that removes or prunes its worktrees is offered; saving still is.
  assert.deepEqual(find(report, `prunable-worktree:${fx.gone}`).actions, [], 'no prune while Codex runs');
  assert.deepEqual(find(report, `dirty-worktree:${fx.live}`).actions.map((a) => a.id), [`worktree.save-wip:${fx.live}`]);
  assert.match(find(report, `dirty-worktree:${fx.live}`).detail, /Codex is running, so nothing that removes it is offered\./);

  await holder.stop();
  const after = await diagnose(ws);
  assert.ok(!after.findings.some((f) => f.kind === 'hot-wal'), 'no holder: Codex folds its WAL in itself on the next start');
  assert.deepEqual(find(after, `prunable-worktree:${fx.gone}`).actions.map((a) => a.id), ['worktree.prune'], 'Codex quit: prune is offered again');
});

test('the generic worktree fix-ups on a Codex worktree outside the workspace: save-wip, then remove, each undone; prune drops the gone one', async (t) => {
  const fx = fixture(t);
  const journal = journalIn(fx.repo);
  const tipBefore = git(fx.repo.root, 'rev-parse', 'codex/fix-login').trim();

  const save = { action: 'worktree.save-wip' as const, subject: fx.live };
  const savePreview = await saveWipHandler.preview(fx.ws, save);
  assert.equal(savePreview.refusal, undefined);
  assert.deepEqual(savePreview.files, ['login.ts']);
  await saveWipHandler.apply(fx.ws, save, { discard: false, confirmed: savePreview, journal });
  assert.equal(git(fx.live, 'status', '--porcelain'), '');

  const remove = { action: 'worktree.remove' as const, subject: fx.live };
  const removePreview = await removeHandler.preview(fx.ws, remove);
  assert.equal(removePreview.refusal, undefined);
  assert.deepEqual(removePreview.discards?.files, [], 'the work was saved first: no file to discard');
  // The saved commit is on no other ref than its kept branch, so remove asks to confirm it.
  await removeHandler.apply(fx.ws, remove, { discard: true, confirmed: removePreview, journal });
  assert.ok(!existsSync(fx.live));

  const [removed, saved] = (await journal.entries()).sort((a, b) => b.time.localeCompare(a.time) || b.id.localeCompare(a.id));
  assert.ok(removed && saved);
  assert.match(removed.actionId, /^worktree\.remove:/);
  await undoGitEntry(fx.ws, removed, journal);
  assert.equal(readFileSync(join(fx.live, 'login.ts'), 'utf8'), 'export const fixed = true;\n', 're-created on its branch, with the saved commit');
  await undoGitEntry(fx.ws, saved, journal);
  assert.equal(git(fx.repo.root, 'rev-parse', 'codex/fix-login').trim(), tipBefore);
  assert.equal(git(fx.live, 'status', '--porcelain'), '?? login.ts\n', 'the work is uncommitted again, as Codex left it');

  const prune = { action: 'worktree.prune' as const };
  const prunePreview = await pruneHandler.preview(fx.ws, prune);
  assert.equal(prunePreview.refusal, undefined);
  await pruneHandler.apply(fx.ws, prune, { discard: false, confirmed: prunePreview, journal });
  const after = await diagnose(fx.ws);
  assert.ok(!after.findings.some((f) => f.id === `prunable-worktree:${fx.gone}`));
  assert.equal(find(after, `orphaned-worktree:${fx.gone}`).source, 'codex', 'the thread still names its gone worktree; its branch still counts');
});

test('a locked Codex worktree: git\'s finding re-tagged codex offers unlock; unlock applies and undo locks it again', async (t) => {
  const fx = fixture(t);
  git(fx.repo.root, 'worktree', 'lock', '--reason', 'codex keeps it', fx.live);
  const f = find(await diagnose(fx.ws), `locked-worktree:${fx.live}`);
  assert.equal(f.source, 'codex');
  assert.deepEqual(f.actions.map((a) => a.id), [`worktree.unlock:${fx.live}`]);
  const journal = journalIn(fx.repo);
  const target = { action: 'worktree.unlock' as const, subject: fx.live };
  await unlockHandler.apply(fx.ws, target, { discard: false, confirmed: await unlockHandler.preview(fx.ws, target), journal });
  assert.doesNotMatch(git(fx.repo.root, 'worktree', 'list', '--porcelain'), /locked codex keeps it/);
  const [entry] = await journal.entries();
  assert.ok(entry);
  await undoGitEntry(fx.ws, entry, journal);
  assert.match(git(fx.repo.root, 'worktree', 'list', '--porcelain'), /locked codex keeps it/);
});

test('a journal entry naming an absolute path outside every tool\'s worktrees folder is refused on undo, nothing created', async (t) => {
  const fx = fixture(t);
  const journal = journalIn(fx.repo);
  const evil = join(fx.repo.base, 'elsewhere', 'planted');
  const sha = git(fx.repo.root, 'rev-parse', 'codex/fix-login').trim();
  await journal.append({ actionId: 'worktree.remove:x', title: 'forged', undo: { kind: 'git-ops', ops: [{ op: 'recreate-worktree', path: evil, branch: 'codex/pruned', sha }], description: 'forged' } });
  const [entry] = await journal.entries();
  assert.ok(entry);
  const before = hashTree(fx.repo.base, { skip: ['app/.git/index'] });
  await assert.rejects(undoGitEntry(fx.ws, entry, journal), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe' && /outside the workspace and every agent tool/.test(e.message));
  assert.ok(!existsSync(evil));
  assert.deepEqual(treeDiff(before, hashTree(fx.repo.base, { skip: ['app/.git/index'] })), []);
});

test('the CLI: diagnose --json shows "source": "codex" with CODEX_HOME in the environment', async (t) => {
  const fx = fixture(t);
  process.env.CODEX_HOME = fx.codex;
  t.after(() => delete process.env.CODEX_HOME);
  const diag = await cli(['diagnose', '--json'], fx.repo.root);
  assert.equal(diag.code, 0, diag.err);
  assert.match(diag.out, /"source": "codex"/);
  const findings = (JSON.parse(diag.out) as { findings: { id: string; source: string }[] }).findings;
  assert.equal(findings.find((f) => f.id === `orphaned-worktree:${fx.gone}`)?.source, 'codex');
  assert.equal(findings.find((f) => f.id === `prunable-worktree:${fx.gone}`)?.source, 'codex');
});
