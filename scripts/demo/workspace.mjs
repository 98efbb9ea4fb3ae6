// Generates the demo workspace: a git repository left behind by a crashed multi-agent
// orchestration in seed 001's layout — `.state/orchestration.db` (written by python3's sqlite3)
// with one workstream running for hours, two blocked on each other and one failed; agent
// worktrees under `.worktrees/` (one deleted on disk so git reports it prunable, one with
// uncommitted work, one already merged) on branches ws/<ws>/<agent>; `workstreams/*.json` specs
// with depends_on; a failing pytest JUnit report; an orchestrator log ending in a traceback.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const IDENTITY = { GIT_AUTHOR_NAME: 'Orchestrator', GIT_AUTHOR_EMAIL: 'orchestrator@demo.invalid', GIT_COMMITTER_NAME: 'Orchestrator', GIT_COMMITTER_EMAIL: 'orchestrator@demo.invalid' };

function git(cwd, args, when) {
  const env = { ...process.env, ...IDENTITY };
  if (when) env.GIT_AUTHOR_DATE = env.GIT_COMMITTER_DATE = when.toISOString();
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env });
  if (r.error || r.status !== 0) throw new Error(`demo workspace: git ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.trim()}`);
  return r.stdout;
}

function write(root, rel, text) {
  const file = join(root, ...rel.split('/'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** SQLite's `datetime('now')` format (UTC). */
function sqlTime(d) {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

const EXECUTOR = `"""Runs workstream steps with retries."""


class Executor:
    def __init__(self, max_attempts: int = 3) -> None:
        self.max_attempts = max_attempts

    def run(self, step):
        last_error = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                return step(attempt)
            except RuntimeError as error:
                last_error = error
        raise last_error
`;

const EXECUTOR_AFTER_WS08 = EXECUTOR.replace('for attempt in range(1, self.max_attempts + 1):', 'for attempt in range(1, self.max_attempts):');

const TEST_EXECUTOR = `from engine.executor import Executor


def flaky(fail_times):
    calls = []

    def step(attempt):
        calls.append(attempt)
        if len(calls) <= fail_times:
            raise RuntimeError(f"attempt {attempt} failed")
        return "ok"

    return step, calls


def test_runs_once_when_step_succeeds():
    step, calls = flaky(0)
    assert Executor().run(step) == "ok"
    assert calls == [1]


def test_retry_logic():
    step, calls = flaky(2)
    assert Executor(max_attempts=3).run(step) == "ok"
    assert len(calls) == 3
`;

const ORCHESTRATOR = `"""Runs one AI agent per workstream, each in its own git worktree (see workstreams/*.json)."""
import json
import sqlite3
from pathlib import Path

DB = Path(".state/orchestration.db")


def pending_workstreams():
    with sqlite3.connect(DB) as con:
        return [row[0] for row in con.execute("SELECT workstream_id FROM workstream_status WHERE status = 'pending'")]


def load_spec(ws_id):
    return json.loads(Path("workstreams", f"{ws_id}.json").read_text())
`;

function junitReport(now) {
  const trace = [
    'def test_retry_logic():',
    '        step, calls = flaky(2)',
    '>       assert Executor(max_attempts=3).run(step) == &quot;ok&quot;',
    '',
    'tests/engine/test_executor.py:24:',
    '_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _',
    'src/engine/executor.py:15: in run',
    '    raise last_error',
    'E   RuntimeError: attempt 2 failed',
  ].join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="1" skipped="0" tests="2" time="0.041" timestamp="${now.toISOString().slice(0, 19)}" hostname="ci-runner-3"><testcase classname="tests.engine.test_executor" name="test_runs_once_when_step_succeeds" file="tests/engine/test_executor.py" line="15" time="0.001" /><testcase classname="tests.engine.test_executor" name="test_retry_logic" file="tests/engine/test_executor.py" line="21" time="0.002"><failure message="RuntimeError: attempt 2 failed">${trace}</failure></testcase></testsuite></testsuites>
`;
}

export function orchestratorLog(t) {
  const at = (minutesAgo) => new Date(t.getTime() - minutesAgo * 60_000).toISOString().replace('T', ' ').slice(0, 23);
  return [
    `${at(370)} INFO  orchestrator: resuming run 2026-demo, 6 workstreams`,
    `${at(368)} INFO  orchestrator: ws-08 -> agent-1 in .worktrees/agent-1-ws-08 (branch ws/ws-08/agent-1)`,
    `${at(312)} INFO  orchestrator: ws-08 completed; merged ws/ws-08/agent-1 into main`,
    `${at(311)} INFO  orchestrator: ws-15 -> agent-2 in .worktrees/agent-2-ws-15 (branch ws/ws-15/agent-2)`,
    `${at(240)} INFO  orchestrator: ws-27 -> agent-3 in .worktrees/agent-3-ws-27 (branch ws/ws-27/agent-3)`,
    `${at(236)} WARN  orchestrator: ws-22 waits for ws-31; ws-31 waits for ws-22`,
    `${at(200)} ERROR orchestrator: agent-3 (ws-27) exited with code 137`,
    `${at(199)} INFO  orchestrator: memory in use 15.7 GiB of 16 GiB`,
    `${at(198)} CRITICAL orchestrator: unhandled exception, shutting down`,
    'Traceback (most recent call last):',
    '  File "scripts/orchestrator.py", line 212, in <module>',
    '    main()',
    '  File "scripts/orchestrator.py", line 198, in main',
    '    results = pool.collect(timeout=None)',
    '  File "scripts/agent_pool.py", line 87, in collect',
    '    outputs.append(agent.read_transcript())',
    '  File "scripts/agent_pool.py", line 41, in read_transcript',
    '    return self.transcript_path.read_text()',
    'MemoryError',
    '',
  ].join('\n');
}

const SPECS = {
  'ws-08': { title: 'Retry policy for the executor', depends_on: [], files: ['src/engine/executor.py'] },
  'ws-15': { title: 'Pagination for the workstream API', depends_on: ['ws-08'], files: ['src/api/routes.py'] },
  'ws-22': { title: 'Transaction rollback in the executor', depends_on: ['ws-31'], files: ['src/engine/transactions.py'] },
  'ws-27': { title: 'Structured logging', depends_on: [], files: ['src/logging_setup.py'] },
  'ws-31': { title: 'Database session handling', depends_on: ['ws-22'], files: ['src/db/session.py'] },
  'ws-40': { title: 'API documentation', depends_on: ['ws-15'], files: ['docs/api.md'] },
};

/**
 * Creates the demo repository in `root` (an empty or missing folder).
 * @returns {{root: string, database: string, workstreams: string[]}}
 */
export function createDemoWorkspace(root, now = new Date()) {
  const ago = (minutes) => new Date(now.getTime() - minutes * 60_000);
  mkdirSync(root, { recursive: true });
  git(root, ['init', '--quiet', '--initial-branch=main']);
  git(root, ['config', 'commit.gpgsign', 'false']);
  write(root, '.gitignore', '.state/\n.worktrees/\nlogs/\nreports/\n__pycache__/\n.pytest_cache/\n');
  // pytest finds the package under src/ (so "re-run only this test" runs it for real).
  write(root, 'pytest.ini', '[pytest]\npythonpath = src\n');
  write(root, 'README.md', '# payments-refactor\n\nA multi-agent refactor: one AI agent per workstream, each in its own git worktree under `.worktrees/`, state in `.state/orchestration.db`.\n');
  write(root, 'src/engine/__init__.py', '');
  write(root, 'src/engine/executor.py', EXECUTOR);
  write(root, 'src/api/routes.py', 'def list_workstreams(db):\n    return db.query("SELECT * FROM workstream_status")\n');
  write(root, 'tests/engine/test_executor.py', TEST_EXECUTOR);
  write(root, 'scripts/orchestrator.py', ORCHESTRATOR);
  for (const [id, spec] of Object.entries(SPECS)) write(root, `workstreams/${id}.json`, `${JSON.stringify({ id, ...spec }, null, 2)}\n`);
  git(root, ['add', '-A']);
  git(root, ['commit', '--quiet', '-m', 'Plan the refactor: workstream specs and orchestrator'], ago(400));

  // ws-08: done and merged; its worktree was never removed (and the merge broke a test).
  git(root, ['worktree', 'add', '--quiet', '-b', 'ws/ws-08/agent-1', join('.worktrees', 'agent-1-ws-08')], ago(368));
  const ws08 = join(root, '.worktrees', 'agent-1-ws-08');
  write(ws08, 'src/engine/executor.py', EXECUTOR_AFTER_WS08);
  git(ws08, ['commit', '--quiet', '-am', 'ws-08: tighten the retry loop'], ago(330));
  git(root, ['merge', '--quiet', '--no-ff', '-m', 'Merge ws/ws-08/agent-1', 'ws/ws-08/agent-1'], ago(312));

  // ws-15: "running" for hours; one commit and uncommitted work in its worktree.
  git(root, ['worktree', 'add', '--quiet', '-b', 'ws/ws-15/agent-2', join('.worktrees', 'agent-2-ws-15')], ago(311));
  const ws15 = join(root, '.worktrees', 'agent-2-ws-15');
  write(ws15, 'src/api/routes.py', 'def list_workstreams(db, page=1, per_page=50):\n    offset = (page - 1) * per_page\n    return db.query("SELECT * FROM workstream_status LIMIT ? OFFSET ?", (per_page, offset))\n');
  git(ws15, ['commit', '--quiet', '-am', 'ws-15: paginate list_workstreams'], ago(290));
  write(ws15, 'src/api/routes.py', 'def list_workstreams(db, page=1, per_page=50):\n    if page < 1:\n        raise ValueError("page starts at 1")\n    offset = (page - 1) * per_page\n    return db.query("SELECT * FROM workstream_status LIMIT ? OFFSET ?", (per_page, offset))\n');
  write(ws15, 'tests/api/test_routes.py', 'def test_first_page():\n    pass  # agent-2 was writing this when the orchestrator died\n');

  // ws-27: failed; its worktree directory was deleted without `git worktree remove` (prunable).
  git(root, ['worktree', 'add', '--quiet', '-b', 'ws/ws-27/agent-3', join('.worktrees', 'agent-3-ws-27')], ago(240));
  const ws27 = join(root, '.worktrees', 'agent-3-ws-27');
  write(ws27, 'src/logging_setup.py', 'import logging\n\nlogging.basicConfig(format="%(asctime)s %(levelname)s %(message)s")\n');
  git(ws27, ['add', '-A']);
  git(ws27, ['commit', '--quiet', '-m', 'ws-27: structured logging (partial)'], ago(215));
  rmSync(ws27, { recursive: true, force: true });

  const rows = [
    { workstream_id: 'ws-08', status: 'completed', agent_id: 'agent-1', started_at: sqlTime(ago(368)), completed_at: sqlTime(ago(312)), notes: 'merged into main' },
    { workstream_id: 'ws-15', status: 'running', agent_id: 'agent-2', started_at: sqlTime(ago(311)) },
    { workstream_id: 'ws-22', status: 'blocked', blocked_by: 'ws-31' },
    { workstream_id: 'ws-27', status: 'failed', agent_id: 'agent-3', started_at: sqlTime(ago(240)), completed_at: sqlTime(ago(200)), error_message: 'Agent process exited with code 137 (out of memory)' },
    { workstream_id: 'ws-31', status: 'blocked', blocked_by: 'ws-22' },
    { workstream_id: 'ws-40', status: 'pending', blocked_by: 'ws-15' },
  ];
  mkdirSync(join(root, '.state'), { recursive: true });
  const database = join(root, '.state', 'orchestration.db');
  const py = spawnSync('python3', [join(here, 'write_orchestration_db.py')], { input: JSON.stringify({ db: database, rows }), encoding: 'utf8' });
  if (py.error || py.status !== 0) throw new Error(`demo workspace: writing ${database} with python3 failed: ${py.error?.message ?? py.stderr.trim()}`);

  write(root, 'reports/junit/pytest.xml', junitReport(ago(290)));
  write(root, 'logs/orchestrator.log', orchestratorLog(ago(198)));
  return { root, database, workstreams: Object.keys(SPECS) };
}

// Live scenarios on top of the demo: what a crash leaves running, for the guides that look at
// processes. Each returns the child; the caller (a test, the demo) ends it.

/** A hung agent: a process working inside ws-15's worktree that never finishes (agent-hang). */
export function startHungAgent(root) {
  const cwd = join(root, '.worktrees', 'agent-2-ws-15');
  const child = spawn('python3', ['-c', 'import time\nwhile True: time.sleep(60)'], { cwd, stdio: 'ignore' });
  return child;
}

/**
 * A second writer holding the orchestration database (db-locked): it switches the database to
 * WAL, commits a note on ws-40 without checkpointing it, and keeps the connection open. Killed,
 * it leaves a write-ahead log with committed work not yet in the database. Resolves once it
 * holds the database.
 */
export function holdDatabase(root) {
  const code = [
    'import sqlite3, sys, time',
    'c = sqlite3.connect(sys.argv[1], isolation_level=None)',
    "c.execute('PRAGMA journal_mode=WAL')",
    "c.execute('PRAGMA wal_autocheckpoint=0')",
    "c.execute(\"UPDATE workstream_status SET notes = 'waiting for ws-15 (written by the second orchestrator)' WHERE workstream_id = 'ws-40'\")",
    "print('ready', flush=True)",
    'while True: time.sleep(60)',
  ].join('\n');
  const child = spawn('python3', ['-c', code, join(root, '.state', 'orchestration.db')], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolveHeld, reject) => {
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      if (String(d).includes('ready')) resolveHeld(child);
    });
    child.on('exit', (code) => reject(new Error(`demo: the database writer exited (${code}): ${err.trim()}`)));
  });
}

if (process.argv[1] && process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: node scripts/demo/workspace.mjs DIR');
    process.exit(2);
  }
  console.log(createDemoWorkspace(target).root);
}
