// The vibe-kanban source against real state: db.v2.sqlite written by python3 as the tool lays it
// out (BLOB UUIDs, text times, journal_mode=DELETE) in a fixture data folder, a real repository
// with a real worktree at container_ref/<repo name> on a vk/ branch, another repository's rows
// that must be filtered out, and a real TCP listener with the tool's port file as its server.
// Detection, the ghost-run finding, refusal while the server is up (nothing changed, by SHA-256),
// apply and undo read back by python3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../../src/core/engine/diagnose';
import type { DiagnoseReport } from '../../../src/core/engine/diagnose';
import { undoEntry } from '../../../src/core/engine/fixups';
import { explainProbe } from '../../../src/core/engine/probes';
import { bindSubject, subjectCandidates } from '../../../src/core/engine/subjects';
import { readVibeKanbanState, stopGhostRunHandler, toolTime, uuidText, vibeKanbanDataDir, vibeKanbanPortFile, vibeKanbanServer, vibeKanbanSource } from '../../../src/core/engine/vibe-kanban';
import { saveWipHandler } from '../../../src/core/git/fixups/save-wip';
import { scanGit } from '../../../src/core/git/scan';
import { FixupRefused } from '../../../src/core/fixups/types';
import type { Finding, WorkspaceContext } from '../../../src/core/fixups/types';
import { cli } from '../fixups/cli-harness';
import { cliBundle } from '../hostile/cli-child';
import { addWorktree, journalIn, makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { hashTree, treeDiff } from '../hostile/tree-hash';
import { readVibeDb, writeVibeDb } from './vibe-kanban-fixture';
import type { VkWorkspaceSpec } from './vibe-kanban-fixture';

// A fixture home for the whole file (each test file runs in its own process): the CLI harness
// runs in-process, so its "child env" is this process's; in-process calls get it as ws.env too.
const home = realpathSync(mkdtempSync(join(tmpdir(), 'lifeline-vk-home-')));
const ENV: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), TMPDIR: join(home, 'tmp') };
mkdirSync(join(home, 'tmp'), { recursive: true });
process.env.XDG_DATA_HOME = ENV.XDG_DATA_HOME;
process.env.TMPDIR = ENV.TMPDIR;
process.on('exit', () => rmSync(home, { recursive: true, force: true }));

const DB = join(home, 'data', 'vibe-kanban', 'db.v2.sqlite');
const WS_A = '1a2b3c4d-5e6f-4a1b-8c2d-0123456789ab';
const WS_B = '9f8e7d6c-0000-4000-8000-00000000000b';
const RUN_A = 'aaaaaaaa-1111-4111-8111-000000000001';

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function find(report: DiagnoseReport, id: string): Finding {
  const f = report.findings.find((x) => x.id === id);
  assert.ok(f, `${id} in ${JSON.stringify(report.findings.map((x) => x.id))}`);
  return f;
}

/** Our repository with workspace A's real worktree (dirty) and workspace B whose folder is gone; another repository's rows beside them. */
function fixture(repo: TestRepo): { worktree: string } {
  const containerA = join(repo.base, 'vk-worktrees', '1a2b-fix-login');
  const worktree = addWorktree(repo, join(containerA, 'repo'), 'vk/1a2b-fix-login');
  writeFileSync(join(worktree, 'login.ts'), 'unsaved\n');
  const specs: VkWorkspaceSpec[] = [
    {
      id: WS_A,
      repoPath: repo.root,
      repoName: 'repo',
      containerRef: containerA,
      branch: 'vk/1a2b-fix-login',
      task: { id: 'bbbbbbbb-0000-4000-8000-000000000001', title: 'Fix login', status: 'inprogress' },
      session: 'cccccccc-0000-4000-8000-000000000001',
      runs: [
        { id: 'aaaaaaaa-1111-4111-8111-000000000000', status: 'completed', runReason: 'setupscript', startedAt: '2026-12-01T09:00:00.000000Z' },
        { id: RUN_A, status: 'running', startedAt: '2026-12-01T09:05:00.123456Z' },
      ],
    },
    {
      id: WS_B,
      repoPath: repo.root,
      repoName: 'repo',
      containerRef: join(repo.base, 'vk-worktrees', '9f8e-gone'),
      branch: 'vk/9f8e-gone',
      task: { id: 'bbbbbbbb-0000-4000-8000-000000000002', title: 'Gone folder', status: 'inprogress' },
      session: 'cccccccc-0000-4000-8000-000000000002',
      runs: [{ id: 'aaaaaaaa-2222-4222-8222-000000000002', status: 'running', startedAt: '2026-12-01 09:10:00.500' }],
    },
    {
      id: 'dddddddd-0000-4000-8000-000000000003',
      repoPath: join(repo.base, 'other-repo'),
      repoName: 'other-repo',
      containerRef: join(repo.base, 'vk-worktrees', 'dddd-other'),
      branch: 'vk/dddd-other',
      task: { id: 'bbbbbbbb-0000-4000-8000-000000000003', title: 'Other repo', status: 'inprogress' },
      session: 'cccccccc-0000-4000-8000-000000000003',
      runs: [{ id: 'aaaaaaaa-3333-4333-8333-000000000003', status: 'running', startedAt: '2026-12-01T09:00:00Z' }],
    },
  ];
  rmSync(join(home, 'data'), { recursive: true, force: true });
  writeVibeDb(DB, specs);
  return { worktree };
}

function wsOf(repo: TestRepo): WorkspaceContext {
  return { ...repo.ws(), env: ENV, now: () => new Date('2026-12-03T07:00:00.250Z') };
}

async function serverUp(t: { after(fn: () => unknown): void }): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  mkdirSync(join(home, 'tmp', 'vibe-kanban'), { recursive: true });
  writeFileSync(vibeKanbanPortFile({ env: ENV }), JSON.stringify({ main_port: port, preview_proxy_port: null }));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { server, port };
}

test('the data folder follows the directories crate on each platform; the port file is under the temp folder', () => {
  const env = { HOME: '/home/u', XDG_DATA_HOME: '/x/data', APPDATA: 'C:\\Users\\u\\AppData\\Roaming', TMPDIR: '/t' };
  assert.equal(vibeKanbanDataDir({ env, platform: 'linux' }), join('/x/data', 'vibe-kanban'));
  assert.equal(vibeKanbanDataDir({ env: { HOME: '/home/u' }, platform: 'linux' }), join('/home/u', '.local', 'share', 'vibe-kanban'));
  assert.equal(vibeKanbanDataDir({ env, platform: 'darwin' }), join('/home/u', 'Library', 'Application Support', 'ai.bloop.vibe-kanban'));
  // (%APPDATA% is not an absolute path to this platform's path module; only the tail is the crate's.)
  assert.ok(vibeKanbanDataDir({ env, platform: 'win32' }).endsWith(join('bloop', 'vibe-kanban', 'data')));
  assert.equal(vibeKanbanPortFile({ env, platform: 'linux' }), join('/t', 'vibe-kanban', 'vibe-kanban.port'));
  assert.equal(uuidText(Buffer.from('1a2b3c4d5e6f4a1b8c2d0123456789ab', 'hex')), WS_A);
  assert.equal(toolTime(new Date('2026-12-03T07:00:00.250Z'), '2026-12-01 09:10:00.500'), '2026-12-03 07:00:00.250');
  assert.equal(toolTime(new Date('2026-12-03T07:00:00.250Z'), '2026-12-01T09:05:00Z'), '2026-12-03T07:00:00.250Z');
});

test('the server is alive only while the port file\'s main_port accepts a connection: absent, garbage, refused are down', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const ws = wsOf(repo);
  rmSync(join(home, 'tmp', 'vibe-kanban'), { recursive: true, force: true });
  assert.deepEqual(await vibeKanbanServer(ws), { port: null, alive: false, why: 'it has no port file' });
  mkdirSync(join(home, 'tmp', 'vibe-kanban'), { recursive: true });
  writeFileSync(vibeKanbanPortFile({ env: ENV }), '{"main_port": "not a port"');
  assert.equal((await vibeKanbanServer(ws)).alive, false);
  const { server, port } = await serverUp(t);
  assert.deepEqual(await vibeKanbanServer(ws), { port, alive: true, why: `its server answers on 127.0.0.1:${port}` });
  await new Promise((resolve) => server.close(resolve));
  assert.deepEqual(await vibeKanbanServer(ws), { port, alive: false, why: `nothing answers on 127.0.0.1:${port}, the port its port file names` });
});

test('no database: the source is not there; an unknown schema: no findings and a one-line reason', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  rmSync(join(home, 'data'), { recursive: true, force: true });
  const ws = wsOf(repo);
  assert.equal(await vibeKanbanSource.read(ws, await scanGit(ws, null)), null);
  mkdirSync(join(home, 'data', 'vibe-kanban'), { recursive: true });
  writeFileSync(DB, '');
  rmSync(DB);
  // A database of another shape (task_attempts before the rename to workspaces).
  spawnSync('python3', ['-c', 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("CREATE TABLE task_attempts (id BLOB)"); d.commit()', DB]);
  const read = await vibeKanbanSource.read(ws, await scanGit(ws, null));
  assert.ok(read);
  assert.deepEqual(read.findings, []);
  assert.match(read.note ?? '', /not a vibe-kanban schema Lifeline knows: it has no repos table/);
  const report = await diagnose(ws);
  assert.ok(!report.findings.some((f) => f.source === 'vibe-kanban'));
  assert.match(report.tools.find((x) => x.source === 'vibe-kanban')?.note ?? '', /it has no repos table/);
});

test('server up: only this repository\'s workspaces; a run whose folder is gone is a ghost run with no write; the fix refuses naming the port, the database unchanged', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const { worktree } = fixture(repo);
  const { port } = await serverUp(t);
  const ws = wsOf(repo);

  const st = await readVibeKanbanState(ws);
  assert.equal(st.state, 'ok');
  assert.deepEqual(st.state === 'ok' ? st.workspaces.map((w) => w.id).sort() : [], ['vk-1a2b3c4d', 'vk-9f8e7d6c'], 'the other repository\'s rows are filtered out');

  const report = await diagnose(ws);
  const tool = report.tools.find((x) => x.source === 'vibe-kanban');
  assert.ok(tool);
  const a = tool.workstreams.find((w) => w.id === 'vk-1a2b3c4d')!;
  assert.equal(a.title, 'Fix login');
  assert.equal(a.status, 'running');
  assert.equal(a.branch, 'vk/1a2b-fix-login');
  assert.equal(a.agent, 'CLAUDE_CODE');
  assert.equal(a.worktree, worktree);
  assert.deepEqual(a.owner, { serverPort: port });
  assert.equal(a.startedAt?.toISOString(), '2026-12-01T09:05:00.123Z');
  assert.ok(!report.findings.some((f) => f.id === 'ghost-run:vk-1a2b3c4d'), 'a live server with its folder: a real run');
  const b = find(report, 'ghost-run:vk-9f8e7d6c');
  assert.equal(b.source, 'vibe-kanban');
  assert.deepEqual(b.actions, []);
  assert.match(b.detail, /Gone folder.*is gone \(vibe-kanban#1571\).*press Stop/);
  // The vk worktree git lists is vibe-kanban's (git's findings on it are re-tagged), and live while the server runs.
  const read = await vibeKanbanSource.read(ws, await scanGit(ws, null));
  assert.deepEqual([...read!.subjects], [worktree]);
  assert.deepEqual([...read!.live], [worktree]);
  const dirty = report.findings.filter((f) => f.subject === worktree);
  assert.ok(dirty.every((f) => f.source === 'vibe-kanban'), JSON.stringify(dirty));

  const before = sha(DB);
  for (const subject of ['vk-1a2b3c4d', 'vk-9f8e7d6c']) {
    const target = { action: 'vibe-kanban.stop-ghost-run' as const, subject };
    const preview = await stopGhostRunHandler.preview(ws, target);
    assert.equal(preview.refusal?.code, 'busy');
    assert.match(preview.refusal!.reason, new RegExp(`port ${port}`));
    await assert.rejects(stopGhostRunHandler.apply(ws, target, { discard: false, journal: journalIn(repo) }), (e: unknown) => e instanceof FixupRefused && e.code === 'busy');
  }
  assert.equal(sha(DB), before, 'the database bytes are unchanged');
  assert.deepEqual(await journalIn(repo).entries(), []);
});

test('server down: save-wip first, then stop; apply marks it killed in the tool\'s format and undo brings back running (python3 reads both)', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  const { worktree } = fixture(repo);
  // A port file whose port no longer answers: the server is down.
  const { server } = await serverUp(t);
  await new Promise((resolve) => server.close(resolve));
  const ws = wsOf(repo);

  const report = await diagnose(ws);
  const f = find(report, 'ghost-run:vk-1a2b3c4d');
  assert.equal(f.source, 'vibe-kanban');
  assert.deepEqual(f.actions.map((x) => x.id), [`worktree.save-wip:${worktree}`, 'vibe-kanban.stop-ghost-run:vk-1a2b3c4d']);
  assert.match(f.detail, /task "Fix login" \(inprogress\).*codingagent aaaaaaaa-1111-4111-8111-000000000001.*since 2026-12-01T09:05:00.123456Z.*not running.*1 uncommitted file.*startup deletes worktree folders/);
  assert.equal(find(report, 'ghost-run:vk-9f8e7d6c').actions.length, 1, 'no folder: only stop');
  const wip = await saveWipHandler.preview(ws, { action: 'worktree.save-wip', subject: worktree });
  assert.equal(wip.refusal, undefined, 'the save-wip offered can run on the vk worktree: ' + wip.refusal?.reason);

  const target = { action: 'vibe-kanban.stop-ghost-run' as const, subject: 'vk-1a2b3c4d', params: { task: 'todo' } };
  const preview = await stopGhostRunHandler.preview(ws, target);
  assert.equal(preview.refusal, undefined, preview.refusal?.reason);
  assert.equal(preview.effect, 'reversible');
  assert.equal(preview.sql?.length, 2);
  const [run, task] = preview.sql!;
  assert.ok(run!.statement.startsWith("UPDATE execution_processes SET status='killed', completed_at=?, updated_at=? WHERE id=? AND status='running'"), run!.statement);
  assert.deepEqual(run!.rows.map((r) => [r.id, r.status, r.completed_at]), [[RUN_A, 'running', null]]);
  assert.deepEqual(run!.after!.map((r) => [r.id, r.status, r.completed_at]), [[RUN_A, 'killed', '2026-12-03T07:00:00.250Z']]);
  assert.ok(task!.statement.startsWith("UPDATE tasks SET status='todo'"), task!.statement);
  assert.equal(task!.after![0]!.status, 'todo');
  const without = await stopGhostRunHandler.preview(ws, { ...target, params: {} });
  assert.equal(without.sql?.length, 1, 'the task is left alone unless task=todo');

  const journal = journalIn(repo);
  const result = await stopGhostRunHandler.apply(ws, target, { discard: false, confirmed: preview, journal });
  assert.equal(result.ok, true, result.message);
  const after = readVibeDb(DB);
  assert.equal(after.integrity, 'ok');
  assert.equal(after.journal_mode, 'delete');
  const killed = after.runs.find((r) => r.id === RUN_A)!;
  assert.equal(killed.status, 'killed');
  assert.equal(killed.completed_at, '2026-12-03T07:00:00.250Z');
  assert.equal(killed.id_type, 'blob');
  assert.equal(after.runs.find((r) => r.id === 'aaaaaaaa-2222-4222-8222-000000000002')!.status, 'running', 'the other workspace\'s run is untouched');
  assert.equal(after.tasks.find((x) => x.id === 'bbbbbbbb-0000-4000-8000-000000000001')!.status, 'todo');
  assert.deepEqual([...readFileSync(DB).subarray(18, 20)], [1, 1], 'rollback-journal header bytes');
  assert.equal(readFileSync(join(worktree, 'login.ts'), 'utf8'), 'unsaved\n');

  const [entry] = await journal.entries();
  assert.ok(entry);
  assert.equal(entry.undo.kind, 'restore-tool-db');
  const undone = await undoEntry(ws, entry, {}, journal);
  assert.equal(undone.ok, true, undone.message);
  const back = readVibeDb(DB);
  assert.equal(back.integrity, 'ok');
  assert.equal(back.journal_mode, 'delete');
  assert.equal(back.runs.find((r) => r.id === RUN_A)!.status, 'running');
  assert.equal(back.runs.find((r) => r.id === RUN_A)!.completed_at, null);
  assert.equal(back.tasks.find((x) => x.id === 'bbbbbbbb-0000-4000-8000-000000000001')!.status, 'inprogress');
});

test('undo refuses while the server is up, and when the database changed since', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  fixture(repo);
  const ws = wsOf(repo);
  const journal = journalIn(repo);
  const target = { action: 'vibe-kanban.stop-ghost-run' as const, subject: 'vk-9f8e7d6c' };
  await stopGhostRunHandler.apply(ws, target, { discard: false, confirmed: await stopGhostRunHandler.preview(ws, target), journal });
  const [entry] = await journal.entries();
  assert.ok(entry);
  const { server } = await serverUp(t);
  const killed = sha(DB);
  await assert.rejects(undoEntry(ws, entry, {}, journal), (e: unknown) => e instanceof FixupRefused && e.code === 'busy');
  assert.equal(sha(DB), killed);
  await new Promise((resolve) => server.close(resolve));
  // vibe-kanban ran and wrote meanwhile: the backup is not put back over that.
  spawnSync('python3', ['-c', 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("UPDATE tasks SET title=\'edited\'"); d.commit()', DB]);
  const edited = sha(DB);
  await assert.rejects(undoEntry(ws, entry, {}, journal), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe');
  assert.equal(sha(DB), edited);
});

test('a tampered journal entry cannot steer the undo: a backup outside the backup folder is refused, and no path in it names the target', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  fixture(repo);
  const ws = wsOf(repo);
  const journal = journalIn(repo);
  const target = { action: 'vibe-kanban.stop-ghost-run' as const, subject: 'vk-9f8e7d6c' };
  await stopGhostRunHandler.apply(ws, target, { discard: false, confirmed: await stopGhostRunHandler.preview(ws, target), journal });
  const [entry] = await journal.entries();
  assert.ok(entry);
  const file = join(repo.base, 'journal', `${entry.id}.json`);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { undo: Record<string, unknown> };
  writeFileSync(file, JSON.stringify({ ...stored, undo: { ...stored.undo, backup: 'README.md', target: join(repo.root, 'README.md'), path: join(repo.root, 'README.md') } }));
  const tree = hashTree(repo.base, { skip: ['.git/index'] });
  const db = sha(DB);
  const tampered = (await journal.get(entry.id))!;
  await assert.rejects(undoEntry(ws, tampered, {}, journal), (e: unknown) => e instanceof FixupRefused && e.code === 'unsafe' && /not under/.test(e.message));
  assert.deepEqual(treeDiff(tree, hashTree(repo.base, { skip: ['.git/index'] })), []);
  assert.equal(sha(DB), db);
});

test('the CLI as a child, its HOME/XDG_DATA_HOME/TMPDIR the fixture home: diagnose --json names the source vibe-kanban', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  fixture(repo);
  rmSync(join(home, 'tmp', 'vibe-kanban'), { recursive: true, force: true });
  const child = spawnSync(process.execPath, [await cliBundle(), 'diagnose', '--json'], {
    cwd: repo.root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: ENV.XDG_DATA_HOME, TMPDIR: ENV.TMPDIR, NO_COLOR: '1' },
  });
  const findings = (JSON.parse(child.stdout) as { findings: { id: string; source: string; actions: { id: string }[] }[] }).findings;
  const f = findings.find((x) => x.id === 'ghost-run:vk-1a2b3c4d');
  assert.equal(f?.source, 'vibe-kanban', child.stdout + child.stderr);
  assert.ok(f.actions.some((a) => a.id === 'vibe-kanban.stop-ghost-run:vk-1a2b3c4d'));
  assert.ok(!findings.some((x) => x.id.includes('dddddddd')), 'the other repository is not reported');
});

test('the CLI: fix refuses (exit 5) while the server answers, then marks the run killed; undo puts it back', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  fixture(repo);
  const { server } = await serverUp(t);
  const before = sha(DB);
  const refused = await cli(['fix', 'vibe-kanban.stop-ghost-run:vk-1a2b3c4d', '--yes'], repo.root);
  assert.equal(refused.code, 5, refused.out + refused.err);
  assert.equal(sha(DB), before);
  await new Promise((resolve) => server.close(resolve));
  const done = await cli(['fix', 'vibe-kanban.stop-ghost-run:vk-1a2b3c4d', '--yes'], repo.root);
  assert.equal(done.code, 0, done.out + done.err);
  assert.equal(readVibeDb(DB).runs.find((r) => r.id === RUN_A)?.status, 'killed');
  const undo = await cli(['undo', '--yes'], repo.root);
  assert.equal(undo.code, 0, undo.out + undo.err);
  assert.equal(readVibeDb(DB).runs.find((r) => r.id === RUN_A)?.status, 'running');
});

test("the ghost-run guide's checks answer themselves from this source: owner gone, a vibe-kanban task; the subject binds its branch and worktree", async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  fixture(repo);
  rmSync(join(home, 'tmp', 'vibe-kanban'), { recursive: true, force: true });
  const ws = wsOf(repo);
  const report = await diagnose(ws);
  const probe = (p: Parameters<typeof explainProbe>[2]) => explainProbe(ws, report, p, 'vk-1a2b3c4d');
  assert.deepEqual(await probe('owner.alive'), { answer: 'no', detail: "vibe-kanban's server is not running (it left no port file)" });
  assert.deepEqual(await probe('source.vibe-kanban'), { answer: 'yes', detail: `vk-1a2b3c4d is vibe-kanban's task "Fix login"` });
  assert.equal((await probe('source.claude-squad')).answer, 'no');
  assert.equal((await probe('worktree.dirty')).answer, 'yes', 'the worktree the tool names is the one checked');
  const subject = bindSubject(report, { kind: 'workstream' }, 'vk-1a2b3c4d', 'main');
  assert.ok(subject);
  assert.equal(subject.values['ws-id'], 'vk-1a2b3c4d');
  assert.equal(subject.values.branch, 'vk/1a2b-fix-login');
  assert.equal(subject.values.worktree, find(report, 'ghost-run:vk-1a2b3c4d').facts?.worktree);
  assert.equal(subject.values['agent-id'], 'CLAUDE_CODE');
  assert.deepEqual(
    subjectCandidates(report, { kind: 'workstream', findings: ['ghost-run'], status: [] } as unknown as Parameters<typeof subjectCandidates>[1], 'main').map((s) => s.id),
    ['vk-1a2b3c4d', 'vk-9f8e7d6c'],
    'the guide offers both ghost runs of this repository',
  );
});
