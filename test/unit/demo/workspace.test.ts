// The demo workspace really is seed 001's crashed orchestration: checked with git and python3's
// sqlite3 directly, not through Lifeline's own readers.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createDemoWorkspace } from '../../../scripts/demo/workspace.mjs';

let base: string;
let root: string;
const NOW = new Date('2026-03-01T12:00:00Z');

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

interface Row {
  workstream_id: string;
  status: string;
  agent_id: string | null;
  started_at: string | null;
  blocked_by: string | null;
  error_message: string | null;
}

function rows(): Row[] {
  const code = 'import json,sqlite3,sys\ncon=sqlite3.connect(sys.argv[1])\ncon.row_factory=sqlite3.Row\nprint(json.dumps([dict(r) for r in con.execute("SELECT * FROM workstream_status ORDER BY workstream_id")]))';
  const r = spawnSync('python3', ['-c', code, join(root, '.state', 'orchestration.db')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Row[];
}

before(() => {
  base = mkdtempSync(join(tmpdir(), 'lifeline-demo-test-'));
  root = createDemoWorkspace(join(base, 'repo'), NOW).root;
});
after(() => rmSync(base, { recursive: true, force: true }));

test('the orchestration database has a workstream running for hours, two blocked on each other and one failed', () => {
  const all = rows();
  const running = all.filter((r) => r.status === 'running');
  assert.equal(running.length, 1);
  const started = new Date(`${running[0]!.started_at!.replace(' ', 'T')}Z`);
  assert.ok(NOW.getTime() - started.getTime() > 2 * 3600_000, `running since ${running[0]!.started_at}, not hours`);
  const blocked = all.filter((r) => r.status === 'blocked');
  assert.equal(blocked.length, 2);
  assert.equal(blocked[0]!.blocked_by, blocked[1]!.workstream_id);
  assert.equal(blocked[1]!.blocked_by, blocked[0]!.workstream_id);
  const failed = all.filter((r) => r.status === 'failed');
  assert.equal(failed.length, 1);
  assert.ok(failed[0]!.error_message, 'the failed workstream says why');
});

test('worktrees: one prunable (deleted on disk), one with uncommitted work, one merged, on ws/<ws>/<agent> branches', () => {
  const list = git(root, 'worktree', 'list', '--porcelain');
  const entries = list.trim().split(/\n\n/).map((block) => block.split('\n'));
  const agents = entries.filter((e) => e[0]!.includes('.worktrees'));
  assert.equal(agents.length, 3);
  for (const e of agents) assert.match(e.find((l) => l.startsWith('branch '))!, /^branch refs\/heads\/ws\/ws-\d+\/agent-\d+$/);
  const prunable = agents.filter((e) => e.some((l) => l.startsWith('prunable')));
  assert.equal(prunable.length, 1);
  assert.ok(!existsSync(prunable[0]![0]!.slice('worktree '.length)), 'the prunable worktree is gone from disk');
  const dirty = agents.filter((e) => {
    const path = e[0]!.slice('worktree '.length);
    return existsSync(path) && git(path, 'status', '--porcelain').trim() !== '';
  });
  assert.equal(dirty.length, 1, 'exactly one worktree has uncommitted work');
  const merged = git(root, 'branch', '--merged', 'main', '--format=%(refname:short)').split('\n').filter((b) => b.startsWith('ws/'));
  assert.deepEqual(merged, ['ws/ws-08/agent-1']);
  assert.equal(git(root, 'status', '--porcelain').trim(), '', 'the main checkout itself is clean');
});

test('workstream specs declare depends_on, with the blocked pair depending on each other', () => {
  const dir = join(root, 'workstreams');
  const specs = Object.fromEntries(readdirSync(dir).map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf8')) as { depends_on: string[] }]));
  for (const s of Object.values(specs)) assert.ok(Array.isArray(s.depends_on));
  const blocked = rows().filter((r) => r.status === 'blocked').map((r) => r.workstream_id);
  assert.deepEqual(specs[blocked[0]!]!.depends_on, [blocked[1]]);
  assert.deepEqual(specs[blocked[1]!]!.depends_on, [blocked[0]]);
});

test('a failing pytest JUnit report and an orchestrator log ending in a traceback', () => {
  const junit = readFileSync(join(root, 'reports', 'junit', 'pytest.xml'), 'utf8');
  assert.match(junit, /<testsuite name="pytest"[^>]* failures="1"/);
  assert.match(junit, /<testcase [^>]*name="test_retry_logic"[^>]*><failure message="[^"]+">/);
  const log = readFileSync(join(root, 'logs', 'orchestrator.log'), 'utf8').trimEnd().split('\n');
  const tb = log.indexOf('Traceback (most recent call last):');
  assert.ok(tb > 0, 'no traceback in the log');
  assert.match(log.at(-1)!, /^\w+(Error|Interrupt)\b/);
});
