// Hostile state: a `.lifeline.json` whose branchPattern (`{agent}`) turns an agent id from the
// database into any branch name, `main` included. Whatever the pattern says, the main branch and
// the branch the main worktree has checked out are never offered for deletion, never deleted by
// a fix-up and never deleted by an undo (exit 4, one line, every file and ref as it was).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../fixups/cli-harness';
import { createDb } from '../database/helpers';
import type { Row } from '../database/helpers';
import { git, makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { hashTree, treeDiff } from './tree-hash';

const ROWS: Row[] = [
  ['ws-1', 'failed', 'main', '2020-01-01 00:00:00', null, 'boom', null, null],
  ['ws-2', 'failed', 'develop', '2020-01-01 00:00:00', null, 'boom', null, null],
];

/** A repository on main with a second branch `develop` at the same (root) commit. */
function scene(t: { after(fn: () => void): void }, config: object): TestRepo {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  git(repo.root, 'branch', 'develop');
  mkdirSync(join(repo.root, '.state'));
  createDb(join(repo.root, '.state', 'orchestration.db'), ROWS);
  writeFileSync(join(repo.root, '.lifeline.json'), JSON.stringify(config));
  return repo;
}

const SKIP = { skip: ['.git/index'] };

function snapshot(repo: TestRepo): () => string[] {
  const files = hashTree(repo.root, SKIP);
  const refs = git(repo.root, 'for-each-ref');
  return () => [...treeDiff(files, hashTree(repo.root, SKIP)), ...(git(repo.root, 'for-each-ref') === refs ? [] : ['refs changed'])];
}

interface DiagnoseJson {
  findings: { id: string; detail: string; actions: { id: string }[] }[];
}

async function offered(repo: TestRepo): Promise<string[]> {
  const r = await cli(['diagnose', '--json'], repo.root);
  assert.equal(r.code, 0, r.err);
  return (JSON.parse(r.out) as DiagnoseJson).findings.flatMap((f) => f.actions.map((a) => a.id));
}

async function refused(repo: TestRepo, args: string[], why: RegExp): Promise<void> {
  const r = await cli(args, repo.root);
  assert.equal(r.code, 4, `${args.join(' ')}: ${r.err}${r.out}`);
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, r.err);
  assert.match(lines[0]!, why);
}

test('branchPattern "{agent}" with agent "main": diagnose offers no branch action, and branch.delete:main is refused', async (t) => {
  const repo = scene(t, { branchPattern: '{agent}' });
  const changed = snapshot(repo);
  const ids = await offered(repo);
  assert.deepEqual(ids.filter((id) => id.startsWith('branch.')), [], `a pattern without {ws} names no workstream's branch: ${ids.join(', ')}`);
  assert.ok(ids.includes('workstream.mark-pending:ws-1'), ids.join(', '));
  await refused(repo, ['fix', 'branch.delete:main', '--yes', '--discard'], /^lifeline: refused: main is the main branch$/);
  assert.deepEqual(changed(), []);
});

test('mainBranch set to another branch: the main worktree\'s branch is still kept, and so is the configured one', async (t) => {
  const repo = scene(t, { branchPattern: '{agent}', mainBranch: 'develop' });
  const changed = snapshot(repo);
  const ids = await offered(repo);
  assert.deepEqual(ids.filter((id) => id.startsWith('branch.')), [], ids.join(', '));
  await refused(repo, ['fix', 'branch.delete:main', '--yes', '--discard'], /^lifeline: refused: main is checked out in the main worktree$/);
  await refused(repo, ['fix', 'branch.delete:develop', '--yes', '--discard'], /^lifeline: refused: develop is the main branch$/);
  assert.deepEqual(changed(), []);
});

test("an undo that would delete the main worktree's branch is refused even when mainBranch names another", async (t) => {
  const repo = scene(t, { mainBranch: 'develop' });
  const sha = git(repo.root, 'rev-parse', 'refs/heads/main').trim();
  const id = '20261201T235959999Z-bbbbbb';
  const dir = join(repo.root, '.state', 'lifeline-journal');
  mkdirSync(dir, { recursive: true });
  // The shape a save-wip that created a branch records; main's tip is a root commit, as such a branch's is.
  const undo = { kind: 'git-ops', ops: [{ op: 'delete-ref', ref: 'refs/heads/main', expect: sha }], description: 'delete main' };
  writeFileSync(join(dir, `${id}.json`), JSON.stringify({ id, time: '2026-12-01T23:59:59.999Z', actionId: 'worktree.save-wip:.', title: 'Save work in progress in .', undo }));
  const changed = snapshot(repo);
  await refused(repo, ['undo', id, '--yes'], /would delete refs\/heads\/main: main is checked out in the main worktree; nothing was run$/);
  assert.deepEqual(changed(), []);
  assert.equal(git(repo.root, 'rev-parse', 'refs/heads/main').trim(), sha);
});
