import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionRef, formatActionId, parseActionId } from '../../../src/core/fixups/action-id';
import { loadSpecs, parseSpec } from '../../../src/core/engine/specs';
import { resolveConfig } from '../../../src/core/fixups/config';

test('action ids round-trip and read as a verb on a subject', () => {
  assert.deepEqual(parseActionId('worktree.prune'), { action: 'worktree.prune' });
  assert.deepEqual(parseActionId('workstream.mark-failed:ws-15'), { action: 'workstream.mark-failed', subject: 'ws-15' });
  // Only the first colon splits: Windows paths keep theirs.
  assert.deepEqual(parseActionId('worktree.remove:C:\\w\\agent 1'), { action: 'worktree.remove', subject: 'C:\\w\\agent 1' });
  assert.equal(formatActionId('worktree.remove', '.worktrees/agent-1-ws-1'), 'worktree.remove:.worktrees/agent-1-ws-1');
  assert.throws(() => parseActionId('rm.rf:/'), /unknown action "rm.rf"/);
  assert.throws(() => parseActionId('branch.delete:'), /empty subject/);
  assert.throws(() => parseActionId('branch.delete:a\nb'), /control characters/);
  assert.deepEqual(actionRef('worktree.remove', 'x'), { id: 'worktree.remove:x', title: 'Remove a worktree (refused while it holds uncommitted or unmerged work).', effect: 'destructive' });
  assert.equal(actionRef('worktree.prune').effect, 'irreversible');
});

test('a spec names its workstream and dependencies; bad ones say why', () => {
  assert.deepEqual(parseSpec('{"depends_on":["ws-1"]}', 'workstreams/ws-2.json'), { id: 'ws-2', dependsOn: ['ws-1'], file: 'workstreams/ws-2.json' });
  assert.deepEqual(parseSpec('\uFEFF{"id":"ws-3","depends_on":[]}', 'workstreams/x.json'), { id: 'ws-3', dependsOn: [], file: 'workstreams/x.json' });
  assert.match(parseSpec('{bad', 'f.json') as string, /invalid JSON/);
  assert.match(parseSpec('[]', 'f.json') as string, /JSON object/);
  assert.match(parseSpec('{"depends_on":"ws-1"}', 'f.json') as string, /must be a list/);
  assert.match(parseSpec('{"depends_on":["--force"]}', 'f.json') as string, /"--force"/);
  assert.match(parseSpec('{"id":"../../etc"}', 'f.json') as string, /workstream id/);
});

test('loadSpecs turns unreadable files into findings and keeps the good ones', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'lifeline-specs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'workstreams'));
  writeFileSync(join(root, 'workstreams', 'ws-1.json'), '{"depends_on":["ws-2"]}');
  writeFileSync(join(root, 'workstreams', 'ws-2.json'), '{"depends_on":[]}\r\n');
  writeFileSync(join(root, 'workstreams', 'broken.json'), '{"depends_on": [');
  writeFileSync(join(root, 'workstreams', 'dup.json'), '{"id":"ws-1"}');
  writeFileSync(join(root, 'workstreams', 'notes.txt'), 'ignored');
  const r = await loadSpecs({ root, config: resolveConfig({}) });
  assert.deepEqual(r.specs.map((s) => s.id).sort(), ['ws-1', 'ws-2']);
  assert.equal(r.specs.find((s) => s.id === 'ws-1')?.file, 'workstreams/dup.json');
  // Files are read in name order: the later file naming the same workstream is the duplicate.
  assert.deepEqual(r.findings.map((f) => f.subject).sort(), ['workstreams/broken.json', 'workstreams/ws-1.json']);
  assert.match(r.findings.find((f) => f.subject === 'workstreams/ws-1.json')!.detail, /already specified in workstreams\/dup.json/);
  assert.ok(r.findings.every((f) => f.kind === 'invalid-spec'));
  const none = await loadSpecs({ root: join(root, 'nowhere'), config: resolveConfig({}) });
  assert.deepEqual(none, { specs: [], findings: [] });
});
