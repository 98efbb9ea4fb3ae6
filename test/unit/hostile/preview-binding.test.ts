// Hostile state, D13: an agent previews with `--dry-run`, the orchestrator changes the row (or
// the worktree) meanwhile, then the agent applies with `--yes`. `--expect` binds the second run
// to the plan the first printed: a changed plan is refused (4) with nothing written; the same
// plan goes ahead, even though its backup names carry the second run's clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace } from '../../../scripts/demo/workspace.mjs';
import { cli } from '../fixups/cli-harness';
import { git, makeRepo } from '../git/helpers';
import { hashTree, treeDiff } from './tree-hash';

const SKIP = { skip: ['.git/index', '.git/worktrees'] };

function status(database: string, id: string): string {
  const code = 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(c.execute("SELECT status FROM workstream_status WHERE workstream_id = ?", (sys.argv[2],)).fetchone()[0])';
  return execFileSync('python3', ['-c', code, database, id], { encoding: 'utf8' }).trim();
}

async function planOf(args: string[], cwd: string): Promise<string> {
  const r = await cli([...args, '--dry-run', '--json'], cwd);
  assert.equal(r.code, 0, r.err + r.out);
  const digest = (JSON.parse(r.out) as { digest?: string }).digest;
  assert.match(digest ?? '', /^[0-9a-f]{16}$/);
  return digest!;
}

test('a row that changed between --dry-run and --yes --expect is refused (4) and nothing is written', async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-bind-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const { root, database } = createDemoWorkspace(join(base, 'repo'));
  const digest = await planOf(['fix', 'workstream.mark-pending:ws-15'], root);
  const human = await cli(['fix', 'workstream.mark-pending:ws-15', '--dry-run'], root);
  assert.match(human.out, new RegExp(`^Plan ${digest}: apply exactly this with lifeline fix workstream\\.mark-pending:ws-15 --yes --expect ${digest}$`, 'm'));
  // The orchestrator finishes ws-15 meanwhile.
  execFileSync('python3', ['-c', "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.execute(\"update workstream_status set status='completed', completed_at='2026-12-01 21:00:00' where workstream_id='ws-15'\")\nc.commit()", database]);
  const before = hashTree(base, SKIP);
  const r = await cli(['fix', 'workstream.mark-pending:ws-15', '--yes', '--expect', digest], root);
  assert.equal(r.code, 4, r.err + r.out);
  assert.match(r.err, new RegExp(`refused: the plan is no longer the one previewed \\(plan [0-9a-f]{16}, not ${digest}\\); nothing was changed`));
  assert.equal(status(database, 'ws-15'), 'completed');
  assert.deepEqual(treeDiff(before, hashTree(base, SKIP)), []);
  // The refusal text of a run without a terminal says how to bind the two runs.
  const bare = await cli(['fix', 'workstream.mark-pending:ws-15'], root);
  assert.equal(bare.code, 4);
  assert.match(bare.err, /--dry-run\), then pass --yes --expect with the plan it prints/);
});

test('the same plan applies with --expect, also when its backup ref is named from a later clock', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  git(repo.root, 'switch', '-q', '-c', 'ws/ws-1/agent-1');
  writeFileSync(join(repo.root, 'work.txt'), 'unmerged\n');
  repo.commit('work on no other ref');
  git(repo.root, 'switch', '-q', 'main');
  const digest = await planOf(['fix', 'branch.delete:ws/ws-1/agent-1'], repo.root);
  const preview = JSON.parse((await cli(['fix', 'branch.delete:ws/ws-1/agent-1', '--dry-run', '--json'], repo.root)).out) as { preview: { git: string[][] } };
  assert.ok(preview.preview.git.some((argv) => argv.some((a) => /^refs\/lifeline\/backup\/.*-\d{8}T\d{6}Z$/.test(a))), 'the plan names a timestamped backup ref');
  await new Promise((r) => setTimeout(r, 1100));
  const r = await cli(['fix', 'branch.delete:ws/ws-1/agent-1', '--yes', '--discard', '--expect', digest], repo.root);
  assert.equal(r.code, 0, r.err + r.out);
  assert.equal(git(repo.root, 'branch', '--list', 'ws/ws-1/agent-1').trim(), '');
});
