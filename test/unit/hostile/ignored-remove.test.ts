// Hostile state, D14: an agent's ignored files (a transcript, a .env, a local database) in a
// worktree being removed. git stash does not keep them and undo cannot bring them back, so
// removing must list them and wait for --discard, which confirms exactly that list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../fixups/cli-harness';
import { addWorktree, git, makeRepo } from '../git/helpers';
import { hashTree, treeDiff } from './tree-hash';

test('worktree.remove lists ignored files as discards and refuses without --discard; with it, they are gone and the preview said so', async (t) => {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  repo.write('.gitignore', '.worktrees/\n.state/\nlogs/\nnode_modules/\n');
  repo.commit('ignore logs');
  const wt = addWorktree(repo, '.worktrees/agent-1-ws-8', 'ws/ws-8/agent-1');
  mkdirSync(join(wt, 'logs'));
  writeFileSync(join(wt, 'logs', 'agent-transcript.log'), 'hours of work\n');
  mkdirSync(join(wt, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(wt, 'node_modules', 'x', 'index.js'), '\n');
  const id = 'worktree.remove:.worktrees/agent-1-ws-8';

  const dry = await cli(['fix', id, '--dry-run', '--json'], repo.root);
  assert.equal(dry.code, 0, dry.err);
  const preview = (JSON.parse(dry.out) as { preview: { discards: { files: string[] }; notes: string[] } }).preview;
  assert.deepEqual(preview.discards.files.sort(), ['logs/', 'node_modules/']);
  assert.ok(preview.notes.some((n) => /not backed up \(undo does not bring them back\)/.test(n)), preview.notes.join('\n'));

  const before = hashTree(wt);
  const refused = await cli(['fix', id, '--yes'], repo.root);
  assert.equal(refused.code, 4, refused.err + refused.out);
  assert.match(refused.err, /--discard/);
  assert.deepEqual(treeDiff(before, hashTree(wt)), []);

  const done = await cli(['fix', id, '--yes', '--discard'], repo.root);
  assert.equal(done.code, 0, done.err + done.out);
  assert.equal(existsSync(wt), false);
  assert.doesNotMatch(git(repo.root, 'worktree', 'list'), /agent-1-ws-8/);
});
