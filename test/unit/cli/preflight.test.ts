// `lifeline preflight`: seed 001's launch checklist over real repositories, real worktrees and real
// SQLite written by python3. A clean workspace is clear (exit 0, every check ok); each blocker alone
// fails with exactly its one line and its guide (exit 1); nothing is changed by looking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { addWorktree, git, makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { createDb, hotWal, py, startWriter } from '../database/helpers';
import type { Row } from '../database/helpers';
import { cli } from '../fixups/cli-harness';
import { hashTree } from '../hostile/tree-hash';
import { preflightChecks, PREFLIGHT_CHECKS } from '../../../src/core/engine/preflight';
import type { PreflightFacts } from '../../../src/core/engine/preflight';
import type { Finding } from '../../../src/core/fixups/types';

// The agent tools' sources read per-user folders: point them at a fixture home, never the real one
// (each test file runs in its own process).
const home = realpathSync(mkdtempSync(join(tmpdir(), 'lifeline-preflight-home-')));
for (const [k, sub] of [['HOME', 'home'], ['XDG_CONFIG_HOME', 'config'], ['XDG_DATA_HOME', 'data'], ['XDG_STATE_HOME', 'state'], ['XDG_CACHE_HOME', 'cache'], ['TMPDIR', 'tmp']] as const) {
  const dir = join(home, sub);
  mkdirSync(dir, { recursive: true });
  process.env[k] = dir;
}
process.on('exit', () => rmSync(home, { recursive: true, force: true }));

/** Before a launch every workstream waits (a completed one would wait on nothing: no cycle to find). */
const PENDING: Row[] = [
  ['ws-a', 'pending', 'agent-1', null, null, null, null, null],
  ['ws-b', 'pending', 'agent-2', null, null, null, null, null],
];

/** A repository ready for a launch: specs a <- b committed, a healthy database of pending rows. */
function cleanRepo(): TestRepo {
  const repo = makeRepo();
  repo.write('workstreams/ws-a.json', JSON.stringify({ id: 'ws-a', depends_on: [] }));
  repo.write('workstreams/ws-b.json', JSON.stringify({ id: 'ws-b', depends_on: ['ws-a'] }));
  repo.commit('specs');
  mkdirSync(join(repo.root, '.state'), { recursive: true });
  createDb(join(repo.root, '.state', 'orchestration.db'), PENDING);
  return repo;
}

async function preflight(repo: TestRepo, ...args: string[]) {
  const r = await cli(['preflight', ...args], repo.root);
  const lines = r.out.split('\n').filter((l) => /^(ok|BLOCKER) /.test(l));
  return { ...r, lines, blockers: lines.filter((l) => l.startsWith('BLOCKER')), oks: lines.filter((l) => l.startsWith('ok')) };
}

/** The whole workspace's digest; git's own index is left out (git may refresh its stat cache). */
const digest = (repo: TestRepo) => hashTree(repo.root, { skip: ['.git/index'] });

/** Each blocker alone: exit 1, one BLOCKER line (the rest ok), equal to `expected`, and nothing changed. */
async function onlyBlocker(repo: TestRepo, expected: string | RegExp, args: string[] = []): Promise<string> {
  const before = digest(repo);
  const r = await preflight(repo, ...args);
  assert.equal(r.code, 1, r.out + r.err);
  assert.equal(r.blockers.length, 1, r.out);
  assert.equal(r.oks.length, PREFLIGHT_CHECKS.length - 1, r.out);
  const line = r.blockers[0]!;
  if (typeof expected === 'string') assert.equal(line, expected);
  else assert.match(line, expected);
  assert.match(r.out, /\n1 blocker: fix it before launching agents\.\n$/);
  assert.deepEqual(digest(repo), before, 'preflight changes nothing');
  return line;
}

test('a workspace ready for a launch is clear: exit 0, every check ok, nothing changed', async () => {
  const repo = cleanRepo();
  try {
    const before = digest(repo);
    const r = await preflight(repo);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(r.err, '');
    assert.deepEqual(r.lines, [
      'ok       workstream specs: 2 read',
      'ok       dependency cycles: none',
      'ok       dangling depends_on: none',
      'ok       main checkout: clean (main)',
      r.lines[4],
      'ok       locked worktrees: none',
      'ok       prunable worktrees: none',
      'ok       stale worktrees: none',
      'ok       ghost runs: none',
      'ok       database: .state/orchestration.db integrity ok, no pending WAL, not in use',
    ]);
    assert.match(r.lines[4]!, /^ok {7}free disk: \d+(\.\d)? GB$/);
    assert.match(r.out, /\nClear: nothing holds the launch\.\n$/);
    assert.deepEqual(digest(repo), before);
  } finally {
    repo.cleanup();
  }
});

test('a dependency cycle in the specs is one blocker with the dependency-cycle guide', async () => {
  const repo = cleanRepo();
  try {
    repo.write('workstreams/ws-a.json', JSON.stringify({ id: 'ws-a', depends_on: ['ws-b'] }));
    repo.commit('cycle');
    await onlyBlocker(repo, 'BLOCKER  dependency cycles: ws-a -> ws-b -> ws-a (cut ws-a -> ws-b)  (guide: lifeline guide dependency-cycle)');
  } finally {
    repo.cleanup();
  }
});

test('a dangling depends_on is one blocker naming the missing workstream', async () => {
  const repo = cleanRepo();
  try {
    repo.write('workstreams/ws-b.json', JSON.stringify({ id: 'ws-b', depends_on: ['ws-a', 'ws-zz'] }));
    repo.commit('dangling');
    await onlyBlocker(repo, 'BLOCKER  dangling depends_on: ws-b depends on "ws-zz", which has no row and no spec  (guide: lifeline guide dependency-cycle)');
  } finally {
    repo.cleanup();
  }
});

test('uncommitted changes on the main checkout block the launch, also when run from a linked worktree', async () => {
  const repo = cleanRepo();
  try {
    writeFileSync(join(repo.root, 'README.md'), 'changed\n');
    writeFileSync(join(repo.root, 'notes.txt'), 'scratch\n');
    const expected = 'BLOCKER  main checkout: 2 uncommitted changes (README.md, notes.txt); commit or stash them  (guide: lifeline guide orchestrator-crash)';
    await onlyBlocker(repo, expected);
    // From a linked worktree (an agent's session-start hook runs there) it is still the main checkout that counts.
    const side = addWorktree(repo, '../side', 'side');
    await onlyBlocker(repo, expected, ['--cwd', side]);
  } finally {
    repo.cleanup();
  }
});

test('a merge left half-done on the main checkout is its blocker, with the merge-conflict guide', async () => {
  const repo = cleanRepo();
  try {
    git(repo.root, 'switch', '-q', '-c', 'side');
    repo.write('README.md', 'side\n');
    repo.commit('side');
    git(repo.root, 'switch', '-q', 'main');
    repo.write('README.md', 'main\n');
    repo.commit('main');
    assert.throws(() => git(repo.root, 'merge', '-q', 'side'), 'the merge conflicts');
    await onlyBlocker(repo, 'BLOCKER  main checkout: a merge is in progress; 1 uncommitted change (README.md); commit or stash them  (guide: lifeline guide merge-conflict)');
  } finally {
    repo.cleanup();
  }
});

/** A pid that was a real process and is gone now (spawned, exited, reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

test('a worktree locked by an owner that is gone is one blocker', async () => {
  const repo = cleanRepo();
  try {
    addWorktree(repo, '.worktrees/ws-lock', 'ws/ws-lock/agent-1');
    const pid = deadPid();
    git(repo.root, 'worktree', 'lock', '--reason', `claude agent agent-1 (pid ${pid})`, join(repo.root, '.worktrees', 'ws-lock'));
    // The database knows it, so it is no stale worktree: only the lock holds the launch.
    py(`import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute("INSERT INTO workstream_status VALUES ('ws-lock', 'pending', 'agent-1', NULL, NULL, NULL, NULL, NULL)")\nc.commit()`, join(repo.root, '.state', 'orchestration.db'));
    await onlyBlocker(repo, `BLOCKER  locked worktrees: .worktrees/ws-lock is locked: claude agent agent-1 (pid ${pid})  (guide: lifeline guide worktree-corruption)`);
  } finally {
    repo.cleanup();
  }
});

test('a prunable worktree (its folder deleted) is one blocker', async () => {
  const repo = cleanRepo();
  try {
    const wt = addWorktree(repo, '.worktrees/ws-gone', 'ws/ws-gone/agent-1');
    rmSync(wt, { recursive: true, force: true });
    await onlyBlocker(repo, /^BLOCKER {2}prunable worktrees: \.worktrees\/ws-gone is prunable: [^;]+ {2}\(guide: lifeline guide worktree-corruption\)$/);
  } finally {
    repo.cleanup();
  }
});

test('a corrupt database (its index no longer matches its rows) fails the integrity check: one blocker', async () => {
  const repo = cleanRepo();
  try {
    const db = join(repo.root, '.state', 'orchestration.db');
    // Rename the index's keys on disk: the table still reads, integrity_check finds rows missing from the index.
    const { ps, root } = JSON.parse(py(`import sqlite3, sys, json\nc = sqlite3.connect(sys.argv[1])\nprint(json.dumps({'ps': c.execute('PRAGMA page_size').fetchone()[0], 'root': c.execute("SELECT rootpage FROM sqlite_master WHERE type='index'").fetchone()[0]}))`, db)) as { ps: number; root: number };
    const bytes = readFileSync(db);
    const page = bytes.subarray((root - 1) * ps, root * ps);
    const at = page.indexOf('ws-a');
    assert.ok(at > 0, 'the index page holds the key');
    page.write('ws-X', at);
    writeFileSync(db, bytes);
    const check = py(`import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(c.execute('PRAGMA integrity_check').fetchone()[0])`, db).trim();
    assert.match(check, /missing from index/, 'python agrees the file is corrupt');
    await onlyBlocker(repo, /^BLOCKER {2}database: integrity_check found \d+ problems?: .*missing from index sqlite_autoindex_workstream_status_1 {2}\(guide: lifeline guide db-locked\)$/);
  } finally {
    repo.cleanup();
  }
});

test('a hot WAL held open by a live python3 writer is one blocker naming the holder; its stuck rows are not blockers', async () => {
  const repo = makeRepo();
  const db = join(repo.root, '.state', 'orchestration.db');
  mkdirSync(join(repo.root, '.state'));
  const writer = await startWriter(db, 3, 1); // its CREATE TABLE is a transaction too: 4
  try {
    const r = await preflight(repo);
    const line = await onlyBlocker(
      repo,
      new RegExp(`^BLOCKER {2}database: orchestration\\.db-wal holds 4 committed transactions not yet checkpointed; pid ${writer.pid} \\(python[\\d.]* -c import sqlite3.*\\) has orchestration\\.db.* open: stop it before launching agents {2}\\(guide: lifeline guide db-locked\\)$`),
    );
    assert.ok(r.blockers.includes(line));
    // Diagnose still reports the rows running since 2025 as stuck; preflight leaves them to it.
    const diag = JSON.parse((await cli(['diagnose', '--json'], repo.root)).out) as { findings: Finding[] };
    assert.ok(diag.findings.some((f) => f.kind === 'stuck-workstream'), 'the fixture has stuck rows');
  } finally {
    await writer.kill();
    repo.cleanup();
  }
});

test('a hot WAL whose writer died is the database blocker too, with no holder to name', async () => {
  const repo = makeRepo();
  try {
    mkdirSync(join(repo.root, '.state'));
    await hotWal(join(repo.root, '.state', 'orchestration.db'), 2, 1);
    await onlyBlocker(repo, 'BLOCKER  database: orchestration.db-wal holds 3 committed transactions not yet checkpointed  (guide: lifeline guide db-locked)');
  } finally {
    repo.cleanup();
  }
});

test('a worktree left behind by a completed workstream is a stale worktree', async () => {
  const repo = cleanRepo();
  try {
    addWorktree(repo, '.worktrees/ws-old', 'ws/ws-old/agent-1');
    py(`import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute("INSERT INTO workstream_status VALUES ('ws-old', 'completed', 'agent-1', '2025-11-29 08:00:00', '2025-11-29 09:00:00', NULL, NULL, NULL)")\nc.commit()`, join(repo.root, '.state', 'orchestration.db'));
    await onlyBlocker(repo, /^BLOCKER {2}stale worktrees: \.worktrees\/ws-old belongs to ws-old, which is completed[^;]*; [^;]+ {2}\(guide: lifeline guide orchestrator-crash\)$/);
  } finally {
    repo.cleanup();
  }
});

test('free disk below the threshold is one blocker; --min-free-gb and .lifeline.json set the threshold', async () => {
  const repo = cleanRepo();
  try {
    const line = await onlyBlocker(repo, /^BLOCKER {2}free disk: \d+(\.\d)? GB on .+, below 100000 GB {2}\(guide: lifeline guide orchestrator-crash\)$/, ['--min-free-gb', '100000']);
    assert.ok(line.includes(` on ${repo.root}, `), line);
    repo.write('.lifeline.json', JSON.stringify({ preflightMinFreeGb: 100000 }));
    repo.commit('threshold');
    await onlyBlocker(repo, /free disk: .* below 100000 GB/);
    // The flag wins over the file.
    const r = await preflight(repo, '--min-free-gb', '0');
    assert.equal(r.code, 0, r.out);
  } finally {
    repo.cleanup();
  }
});

test('--json is the checks array with clear, and says what the human lines say', async () => {
  const repo = cleanRepo();
  try {
    repo.write('workstreams/ws-a.json', JSON.stringify({ id: 'ws-a', depends_on: ['ws-b'] }));
    repo.commit('cycle');
    writeFileSync(join(repo.root, 'notes.txt'), 'scratch\n');
    const human = await preflight(repo);
    const r = await cli(['preflight', '--json'], repo.root);
    assert.equal(r.code, 1);
    const json = JSON.parse(r.out) as { clear: boolean; checks: { id: string; ok: boolean; line: string; scenario?: string; findingIds?: string[] }[] };
    assert.equal(json.clear, false);
    assert.deepEqual(json.checks.map((c) => c.id), [...PREFLIGHT_CHECKS]);
    assert.deepEqual(
      json.checks.map((c) => (c.ok ? `ok       ${c.line}` : `BLOCKER  ${c.line}  (guide: lifeline guide ${c.scenario})`)),
      human.lines,
    );
    const cycle = json.checks.find((c) => c.id === 'dependency-cycles')!;
    assert.deepEqual(cycle.findingIds, ['dependency-cycle:ws-a']);
    assert.deepEqual(json.checks.filter((c) => !c.ok).map((c) => c.id), ['dependency-cycles', 'main-checkout']);
  } finally {
    repo.cleanup();
  }
});

test('garbage flags and thresholds exit 2 with one line; a bad threshold in .lifeline.json too; a plain folder is no repository', async () => {
  const repo = cleanRepo();
  try {
    for (const args of [['--bogus'], ['extra'], ['--min-free-gb', 'ten'], ['--min-free-gb', '-1'], ['--min-free-gb', ''], ['--min-free-gb', '0x10'], ['--min-free-gb']]) {
      const r = await cli(['preflight', ...args], repo.root);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
      assert.equal(r.out, '', args.join(' '));
      assert.match(r.err, /^lifeline: [^\n]+\n$/, args.join(' '));
    }
    repo.write('.lifeline.json', JSON.stringify({ preflightMinFreeGb: 'ten' }));
    const bad = await cli(['preflight'], repo.root);
    assert.equal(bad.code, 2);
    assert.equal(bad.err, 'lifeline: .lifeline.json: "preflightMinFreeGb" must be a number of GB\n');
    const plain = mkdtempSync(join(tmpdir(), 'lifeline-plain-'));
    const none = await cli(['preflight'], plain);
    rmSync(plain, { recursive: true, force: true });
    assert.equal(none.code, 1);
    assert.match(none.err, /^lifeline: not inside a git repository: [^\n]+\n$/);
  } finally {
    repo.cleanup();
  }
});

/** Facts of a clear workspace, for the checks no fixture here can produce (another tool's ghost run). */
function clearFacts(findings: Finding[]): PreflightFacts {
  return {
    diagnosis: { findings, specs: [], worktrees: [] },
    mainBranch: 'main',
    mainStatus: [],
    operation: null,
    freeBytes: 50e9,
    minFreeGb: 10,
    root: '/repo',
    database: { path: '.state/orchestration.db', exists: false, walTransactions: 0, walPending: 0, holders: [], integrity: null },
  };
}

const finding = (kind: Finding['kind'], subject: string, source: Finding['source'], scenario: string, detail: string): Finding => ({ id: `${kind}:${subject}`, kind, subject, source, scenario, detail, actions: [] });

test('a ghost run of any source is a blocker; stuck and failed workstreams are not', () => {
  const ghost = finding('ghost-run', 'vk-1', 'vibe-kanban', 'orchestrator-crash', 'Run of "Fix login" is running but no vibe-kanban server is alive.');
  const stuck = finding('stuck-workstream', 'ws-15', 'orchestration-db', 'agent-hang', 'ws-15 has been running for 5 h.');
  const failed = finding('failed-workstream', 'ws-16', 'orchestration-db', 'orchestrator-crash', 'ws-16 failed.');
  const r = preflightChecks(clearFacts([stuck, failed, ghost]));
  assert.equal(r.clear, false);
  assert.deepEqual(
    r.checks.filter((c) => !c.ok),
    [{ id: 'ghost-runs', ok: false, line: 'ghost runs: vibe-kanban: Run of "Fix login" is running but no vibe-kanban server is alive', scenario: 'orchestrator-crash', findingIds: ['ghost-run:vk-1'] }],
  );
  assert.equal(preflightChecks(clearFacts([stuck, failed])).clear, true);
  assert.equal(preflightChecks({ ...clearFacts([]), freeBytes: 3.25e9 }).checks.find((c) => c.id === 'free-disk')!.line, 'free disk: 3.2 GB on /repo, below 10 GB');
  assert.equal(preflightChecks({ ...clearFacts([]), freeBytes: 41.9e9 }).checks.find((c) => c.id === 'free-disk')!.line, 'free disk: 41 GB');
});
