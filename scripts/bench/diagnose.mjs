#!/usr/bin/env node
// Bench for `lifeline diagnose`: a repository with 300 agent worktrees and a 10,000-row
// orchestration database (written by python3's sqlite3), timed in the same run beside what a
// user would run by hand for the same answer (one script: `git worktree list`, `git status
// --porcelain` in each worktree, `git rev-list --count main..B` per branch, the sqlite3 query),
// and beside `git worktree list --porcelain` and python's sqlite3 reading the same rows. Twice:
// with one worktree in ten dirty, then with half of them dirty (the dirty case is the cost).
// Goals: whole process <= 0.2x the script, in-process diagnosis <= 0.1x the script; git part
// <= 1.5x git worktree list, database part <= 3x python, peak memory <= 3x the database size.
// Usage: node scripts/bench/diagnose.mjs [--worktrees N] [--rows N] [--runs N] [--keep]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

const root = new URL('../..', import.meta.url).pathname;
const { values } = parseArgs({ options: { worktrees: { type: 'string' }, rows: { type: 'string' }, runs: { type: 'string' }, keep: { type: 'boolean' } } });
const WORKTREES = Number(values.worktrees ?? 300);
const ROWS = Number(values.rows ?? 10_000);
const RUNS = Number(values.runs ?? 5);

const env = { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid' };
function run(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024, ...opts });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} failed: ${r.stderr}`);
  return { ms, out: r.stdout, err: r.stderr };
}
const git = (cwd, ...args) => run('git', args, { cwd });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- the workspace ------------------------------------------------------------------------
const base = mkdtempSync(join(tmpdir(), 'lifeline-bench-'));
const repo = join(base, 'repo');
mkdirSync(repo);
console.log(`setting up ${WORKTREES} worktrees and ${ROWS} rows in ${base} ...`);
git(repo, 'init', '-q', '-b', 'main');
for (let i = 0; i < 40; i++) writeFileSync(join(repo, `file-${i}.txt`), `line ${i}\n`.repeat(20));
writeFileSync(join(repo, '.gitignore'), '.worktrees/\n.state/\n');
git(repo, 'add', '-A');
git(repo, 'commit', '-q', '-m', 'initial');
const setup0 = performance.now();
for (let i = 1; i <= WORKTREES; i++) {
  const wt = join(repo, '.worktrees', `agent-${i}-ws-${i}`);
  git(repo, 'worktree', 'add', '-q', '-b', `ws/ws-${i}/agent-${i}`, wt);
  if (i % 10 === 0) writeFileSync(join(wt, 'uncommitted.txt'), 'wip\n');
  if (i % 7 === 0) {
    writeFileSync(join(wt, `work-${i}.txt`), 'work\n');
    git(wt, 'add', '-A');
    git(wt, 'commit', '-q', '-m', `work on ws-${i}`);
  }
}
mkdirSync(join(repo, '.state'));
const db = join(repo, '.state', 'orchestration.db');
const makeDb = `
import sqlite3, sys, datetime
n, wts = int(sys.argv[2]), int(sys.argv[3])
con = sqlite3.connect(sys.argv[1])
con.execute("CREATE TABLE workstream_status (workstream_id TEXT PRIMARY KEY, status TEXT, agent_id TEXT, started_at TEXT, completed_at TEXT, error_message TEXT, blocked_by TEXT, notes TEXT)")
now = datetime.datetime.utcnow()
def ts(minutes): return (now - datetime.timedelta(minutes=minutes)).strftime('%Y-%m-%d %H:%M:%S')
rows = []
for i in range(1, n + 1):
    if i <= wts:
        status = 'running' if i % 5 else 'failed'
        started = ts(120 if i % 3 == 0 else 10)
    else:
        status = ('completed', 'pending', 'blocked', 'completed')[i % 4]
        started = ts(600) if status == 'completed' else None
    blocked = 'ws-%d' % (i - 1) if status == 'blocked' and i > 1 else None
    rows.append(('ws-%d' % i, status, 'agent-%d' % i, started, ts(500) if status == 'completed' else None, 'boom' if status == 'failed' else None, blocked, 'row %d' % i))
con.executemany("INSERT INTO workstream_status VALUES (?,?,?,?,?,?,?,?)", rows)
con.commit()
con.close()
`;
run('python3', ['-c', makeDb, db, String(ROWS), String(WORKTREES)]);
const dbBytes = statSync(db).size;
console.log(`setup took ${((performance.now() - setup0) / 1000).toFixed(1)} s; database ${(dbBytes / 1024).toFixed(0)} KiB`);

// ---- the CLI bundle -------------------------------------------------------------------------
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) run(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root });
const preload = join(base, 'maxrss.cjs');
writeFileSync(preload, "process.on('exit', () => { require('fs').writeSync(2, `\\nmaxrss_kb=${process.resourceUsage().maxRSS}\\n`); });\n");

const readRows = `
import sqlite3, sys, time, json
t0 = time.perf_counter()
con = sqlite3.connect(sys.argv[1])
rows = con.execute("SELECT workstream_id, status, agent_id, started_at, completed_at, error_message, blocked_by, notes FROM workstream_status").fetchall()
con.close()
print(json.dumps({"rows": len(rows), "ms": (time.perf_counter() - t0) * 1000}))
`;

// What a user would run by hand: every worktree's status, every branch's commits ahead, the rows.
const byHand = join(base, 'by-hand.sh');
const query = "SELECT workstream_id, status, agent_id, started_at, completed_at, error_message, blocked_by, notes FROM workstream_status";
const sqliteCli = spawnSync('sqlite3', ['-version'], { stdio: 'ignore' }).status === 0;
writeFileSync(
  byHand,
  [
    'set -e',
    'cd "$1"',
    'git worktree list --porcelain > /dev/null',
    'git worktree list --porcelain | sed -n "s/^worktree //p" | while IFS= read -r wt; do git -C "$wt" status --porcelain > /dev/null; done',
    'git for-each-ref --format="%(refname:short)" refs/heads/ | while IFS= read -r b; do git rev-list --count "main..$b" > /dev/null; done',
    sqliteCli
      ? `sqlite3 .state/orchestration.db '${query}' > /dev/null`
      : `python3 -c 'import sqlite3; sqlite3.connect(".state/orchestration.db").execute("${query}").fetchall()'`,
    '',
  ].join('\n'),
);

function measure() {
const results = { script: [], git: [], py: [], pyInner: [], diag: [], diagTotal: [], diagGit: [], diagStatus: [], diagDb: [], rss: [] };
let statusChecks = 0;
let statusCalls = 0;
let findings = 0;
let wired = false;
for (let i = 0; i < RUNS; i++) {
  results.script.push(run('bash', [byHand, repo]).ms);
  results.git.push(git(repo, 'worktree', 'list', '--porcelain').ms);
  const py = run('python3', ['-c', readRows, db]);
  results.py.push(py.ms);
  results.pyInner.push(JSON.parse(py.out).ms);
  const d = run(process.execPath, ['--require', preload, cli, 'diagnose', '--json', '--timings', '--cwd', repo]);
  const data = JSON.parse(d.out);
  findings = data.findings.length;
  wired = data.timings.database > 0.05;
  results.diag.push(d.ms);
  results.diagTotal.push(data.timings.total ?? data.timings.database + data.timings.git + data.timings.dependencies);
  results.diagGit.push(data.timings.git);
  results.diagStatus.push(data.timings.gitStatusMs);
  statusChecks = data.timings.gitStatusChecks;
  statusCalls = data.timings.gitStatusCalls ?? statusChecks;
  results.diagDb.push(data.timings.database);
  results.rss.push(Number(/maxrss_kb=(\d+)/.exec(d.err)?.[1] ?? 0) * 1024);
}

const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
return { m, statusChecks, statusCalls, findings, wired };
}

function report(label, { m, statusChecks, statusCalls, findings, wired }) {
const f = (ms) => `${ms.toFixed(1)} ms`;
const rows = [
  [`by hand: status per worktree, rev-list per branch, ${sqliteCli ? 'sqlite3' : 'python3 sqlite3'} query`, f(m.script)],
  ['git worktree list --porcelain (process)', f(m.git)],
  ['python3 sqlite3 read, whole process', f(m.py)],
  ['python3 sqlite3 read, inside python', f(m.pyInner)],
  ['lifeline diagnose, whole process', f(m.diag)],
  ['  the diagnosis (in process)', f(m.diagTotal)],
  ['  git part (in process)', f(m.diagGit)],
  [`    of which process scan + dirty check of ${statusChecks} worktrees (${statusCalls} by git status)`, f(m.diagStatus)],
  ['    the rest (worktree list, refs, ahead counts)', f(m.diagGit - m.diagStatus)],
  ['  database part (in process)', wired ? f(m.diagDb) : 'not wired in this build'],
  ['  peak RSS', `${(m.rss / 1048576).toFixed(1)} MiB`],
  ['database size', `${(dbBytes / 1048576).toFixed(2)} MiB`],
];
console.log(`\n${label}: median of ${RUNS} runs; ${WORKTREES} worktrees, ${ROWS} rows, ${findings} findings`);
for (const [k, v] of rows) console.log(`${k.padEnd(44)} ${v}`);
console.log(`\nwhole process / by hand:              ${(m.diag / m.script).toFixed(2)}x (goal <= 0.2x)`);
console.log(`in-process diagnosis / by hand:       ${(m.diagTotal / m.script).toFixed(2)}x (goal <= 0.1x)`);
const gitRatio = m.diagGit / m.git;
console.log(`git part / git worktree list:         ${gitRatio.toFixed(2)}x (goal <= 1.5x)`);
console.log(`  without the per-worktree checks:    ${((m.diagGit - m.diagStatus) / m.git).toFixed(2)}x`);
if (wired) console.log(`database part / python sqlite3 read:  ${(m.diagDb / m.py).toFixed(2)}x (goal <= 3x)`);
else console.log('database part: the database reader is not wired into this build, so only the git part is measured');
console.log(`peak RSS / database size:             ${(m.rss / dbBytes).toFixed(1)}x (goal <= 3x; a bare node process alone is ~40 MiB)`);
}

report(`one worktree in ten dirty (${Math.floor(WORKTREES / 10)})`, measure());
// Half of them dirty: an uncommitted file in every odd worktree as well.
for (let i = 1; i <= WORKTREES; i += 2) writeFileSync(join(repo, '.worktrees', `agent-${i}-ws-${i}`, 'half.txt'), 'wip\n');
report(`half of them dirty (${Math.ceil(WORKTREES / 2) + Math.floor(WORKTREES / 20)})`, measure());
if (!values.keep) rmSync(base, { recursive: true, force: true });
else console.log(`kept ${base}`);
