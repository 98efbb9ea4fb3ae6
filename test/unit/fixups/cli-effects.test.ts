// `fix --dry-run --json` states each plan's effect, the text preview shows it and each changed
// row before -> after, and `undo` / `journal` never offer an undo's own entry or an irreversible
// change, on a real repository with a real SQLite file (python3's sqlite3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDb, pyRows } from '../database/helpers';
import { addWorktree, makeRepo } from '../git/helpers';
import type { TestRepo } from '../git/helpers';
import { cli } from './cli-harness';

function workspace(t: { after(fn: () => void): void }): { repo: TestRepo; db: string } {
  const repo = makeRepo();
  t.after(() => repo.cleanup());
  mkdirSync(join(repo.root, '.state'));
  const db = join(repo.root, '.state', 'orchestration.db');
  createDb(db, [['ws-15', 'running', 'agent-1', '2025-11-29 08:05:12', null, null, null, null]]);
  return { repo, db };
}

async function dryRun(repo: TestRepo, id: string): Promise<Record<string, unknown>> {
  const r = await cli(['fix', id, '--dry-run', '--json'], repo.root);
  assert.equal(r.code, 0, r.err || r.out);
  const data = JSON.parse(r.out) as { preview: Record<string, unknown> };
  return data.preview;
}

test('fix --dry-run --json states the effect of each plan: read-only, reversible, irreversible, destructive', async (t) => {
  const { repo } = workspace(t);
  const clean = addWorktree(repo, '.worktrees/clean', 'ws/ws-1/agent-1');
  const dirty = addWorktree(repo, '.worktrees/dirty', 'ws/ws-2/agent-2');
  writeFileSync(join(dirty, 'notes.txt'), 'unsaved\n');
  rmSync(addWorktree(repo, '.worktrees/gone', 'ws/ws-3/agent-3'), { recursive: true, force: true });
  assert.ok(clean);

  assert.equal((await dryRun(repo, 'db.integrity-check')).effect, 'read-only');
  assert.equal((await dryRun(repo, 'workstream.mark-failed:ws-15')).effect, 'reversible');
  assert.equal((await dryRun(repo, 'worktree.remove:.worktrees/clean')).effect, 'reversible');
  assert.equal((await dryRun(repo, 'worktree.prune')).effect, 'irreversible');
  assert.equal((await dryRun(repo, 'worktree.remove:.worktrees/dirty')).effect, 'destructive');
  for (const p of [await dryRun(repo, 'workstream.mark-failed:ws-15'), await dryRun(repo, 'worktree.prune')]) {
    assert.equal('destructive' in p || 'readOnly' in p, false, 'the booleans are gone from the published preview');
  }
});

test('the SQL preview carries each row after the change; the text preview shows it as before -> after', async (t) => {
  const { repo, db } = workspace(t);
  const before = pyRows(db);
  const p = await dryRun(repo, 'workstream.mark-failed:ws-15');
  const [sql] = p.sql as { rows: Record<string, unknown>[]; after: Record<string, unknown>[] }[];
  assert.equal(sql!.rows[0]!.status, 'running');
  assert.equal(sql!.after[0]!.status, 'failed');
  assert.equal(sql!.rows[0]!.error_message, null);
  assert.equal(sql!.after[0]!.error_message, 'Marked failed with Lifeline');
  assert.equal(sql!.after[0]!.agent_id, 'agent-1');
  assert.deepEqual(pyRows(db), before, 'the dry run wrote nothing');

  const text = await cli(['fix', 'workstream.mark-failed:ws-15', '--dry-run', '--message', 'crashed'], repo.root);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /\[reversible\]/);
  assert.match(text.out, /Effect: reversible — backed up first; `lifeline undo` restores it\./);
  assert.match(text.out, /^ {4}ws-15: status "running" → "failed"; error_message NULL → "crashed"$/m);
  assert.doesNotMatch(text.out, /agent_id/, 'only the changed columns are listed');
});

test('undo never picks an undo entry, refuses an irreversible change in a sentence, and journal says which can be undone', async (t) => {
  const { repo, db } = workspace(t);
  rmSync(addWorktree(repo, '.worktrees/gone', 'ws/ws-3/agent-3'), { recursive: true, force: true });
  const before = pyRows(db);
  assert.equal((await cli(['fix', 'workstream.mark-failed:ws-15', '--yes'], repo.root)).code, 0);
  const undo = await cli(['undo', '--yes', '--json'], repo.root);
  assert.equal(undo.code, 0, undo.err);
  assert.deepEqual(pyRows(db), before);

  // The database undo journaled its own restore; undoing that would mark ws-15 failed again.
  const again = await cli(['undo', '--yes'], repo.root);
  assert.equal(again.code, 1);
  assert.match(again.err, /Nothing to undo/);
  assert.deepEqual(pyRows(db), before, 'nothing was re-applied');
  const listed = JSON.parse((await cli(['journal', '--json'], repo.root)).out) as { entries: { id: string; title: string; undoOf?: string; undoable: boolean }[] };
  assert.equal(listed.entries.length, 2);
  const [original, undoOwn] = listed.entries;
  assert.equal(undoOwn!.undoOf, original!.id);
  assert.deepEqual(listed.entries.map((e) => e.undoable), [false, false]);
  const named = await cli(['undo', undoOwn!.id, '--yes'], repo.root);
  assert.equal(named.code, 1);
  assert.match(named.err, /is itself an undo/);
  assert.deepEqual(pyRows(db), before);

  assert.equal((await cli(['fix', 'worktree.prune', '--yes'], repo.root)).code, 0);
  const prune = await cli(['undo', '--yes'], repo.root);
  assert.equal(prune.code, 1);
  assert.match(prune.err, /^lifeline: "Prune worktree entries whose directories are gone" cannot be undone: pruned entries pointed at directories that no longer exist; branches are untouched\.\n$/);
  assert.equal((await cli(['journal', '--undoable'], repo.root)).out, 'No fix-up in the journal can be undone.\n');
});
