import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEdges, parseBlockedBy, scanDependencies, stronglyConnected } from '../../../src/core/engine/cycles';
import type { WorkstreamRow } from '../../../src/core/fixups/types';
import type { WorkstreamSpec } from '../../../src/core/engine/specs';

function row(id: string, status: string, blocked_by: string | null = null): WorkstreamRow {
  return { workstream_id: id, status, agent_id: null, started_at: null, completed_at: null, error_message: null, blocked_by, notes: null };
}
const spec = (id: string, ...dependsOn: string[]): WorkstreamSpec => ({ id, dependsOn, file: `workstreams/${id}.json` });

test('blocked_by reads one id, lists and JSON arrays', () => {
  assert.deepEqual(parseBlockedBy(null), []);
  assert.deepEqual(parseBlockedBy(' '), []);
  assert.deepEqual(parseBlockedBy('ws-15'), ['ws-15']);
  assert.deepEqual(parseBlockedBy('ws-1, ws-2;ws-3 ws-4'), ['ws-1', 'ws-2', 'ws-3', 'ws-4']);
  assert.deepEqual(parseBlockedBy('["ws-1","ws-2"]'), ['ws-1', 'ws-2']);
});

test("seed 001's deadlock: ws-22 <-> ws-15 is one cycle with an unblock action", () => {
  const f = scanDependencies([row('ws-22', 'blocked', 'ws-15'), row('ws-15', 'blocked', 'ws-22')], []);
  assert.equal(f.length, 1);
  assert.equal(f[0]!.kind, 'dependency-cycle');
  assert.equal(f[0]!.facts?.cycle, 'ws-15 -> ws-22 -> ws-15');
  assert.equal(f[0]!.actions.length, 1);
  assert.match(f[0]!.actions[0]!.id, /^workstream\.unblock:ws-(15|22)$/);
});

test('the suggested cut prefers an edge the specs do not back', () => {
  // ws-a -> ws-b is in both the row and the spec; ws-b -> ws-a only in a stale blocked_by.
  const f = scanDependencies([row('ws-a', 'blocked', 'ws-b'), row('ws-b', 'blocked', 'ws-a')], [spec('ws-a', 'ws-b'), spec('ws-b')]);
  assert.equal(f[0]!.facts?.cutFrom, 'ws-b');
  assert.equal(f[0]!.facts?.cutTo, 'ws-a');
  assert.deepEqual(f[0]!.actions.map((a) => a.id), ['workstream.unblock:ws-b']);
});

test('then an edge whose source waits on nothing else, then the one with most dependents', () => {
  // Cycle x -> y -> z -> x. y also waits on w (outside, pending), so cutting y's edge frees nothing.
  // Many wait on z: q1, q2 -> z.
  const rows = [row('x', 'blocked', 'y'), row('y', 'blocked', 'z, w'), row('z', 'blocked', 'x'), row('w', 'pending'), row('q1', 'blocked', 'z'), row('q2', 'blocked', 'z')];
  const f = scanDependencies(rows, []).filter((x) => x.kind === 'dependency-cycle');
  assert.equal(f.length, 1);
  assert.equal(f[0]!.facts?.cutFrom, 'z', 'z waits only on x and has the most dependents');
});

test('a cycle only in the specs says which spec to edit and offers no database action', () => {
  const f = scanDependencies([], [spec('ws-1', 'ws-2'), spec('ws-2', 'ws-1')]);
  assert.equal(f[0]!.actions.length, 0);
  assert.match(f[0]!.detail, /depends_on in workstreams\/ws-\d\.json/);
});

test('dangling references are findings; completed workstreams wait on nothing', () => {
  const f = scanDependencies([row('ws-1', 'blocked', 'ws-404'), row('ws-2', 'completed', 'ws-3'), row('ws-3', 'blocked', 'ws-2')], []);
  assert.deepEqual(f.map((x) => x.kind), ['dangling-dependency']);
  assert.match(f[0]!.detail, /"ws-404"/);
  assert.equal(buildEdges([row('ws-2', 'completed', 'ws-3')], []).length, 0);
});

test('self-loops and long cycles are found; big acyclic graphs are not', () => {
  assert.equal(scanDependencies([row('s', 'blocked', 's')], [])[0]?.facts?.cycle, 's -> s');
  const n = 5000;
  const chain = Array.from({ length: n }, (_, i) => row(`w${i}`, 'blocked', i + 1 < n ? `w${i + 1}` : null));
  assert.equal(scanDependencies(chain, []).length, 0);
  chain[n - 1] = row(`w${n - 1}`, 'blocked', 'w0');
  const f = scanDependencies(chain, []);
  assert.equal(f.length, 1);
  assert.equal(f[0]!.facts?.size, n);
  const comps = stronglyConnected(['a', 'b', 'c'], (x) => ({ a: ['b'], b: ['a'], c: [] })[x] ?? []);
  assert.deepEqual(comps.map((c) => c.sort().join()).sort(), ['a,b', 'c']);
});
