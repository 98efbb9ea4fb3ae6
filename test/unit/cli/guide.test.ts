// `lifeline guide` on the demo workspace: --json walks to the first node that needs a person and
// moves on with --answer/--choose in order; on a terminal it asks with numbered options. Both
// run the real session against real git and a real SQLite file (checked with python3's sqlite3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoWorkspace } from '../../../scripts/demo/workspace.mjs';
import { cli } from '../fixups/cli-harness';
import { readDb } from '../fixups/python-rows';

function demo(t: { after(fn: () => void): void }): string {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-guide-cli-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  return createDemoWorkspace(join(base, 'repo')).root;
}

const status = (root: string, id: string) => readDb(join(root, '.state', 'orchestration.db')).find((r) => r.workstream_id === id)!.status;

interface Walk {
  subject: { id: string; values: Record<string, string> } | null;
  path: { node: string; title: string; outcome: string }[];
  current: { node: string; waitsFor: string; title: string; options?: { id: string }[]; commands?: { run: string; missing: unknown[] }[]; target?: string };
  next: string[];
  error?: string;
}

test('--json: stops where a person is needed, lists how to move on, and the flags move it on in order', async (t) => {
  const root = demo(t);
  const first = await cli(['guide', 'orchestrator-crash', '--json'], root);
  assert.equal(first.code, 0, first.err);
  const w0 = JSON.parse(first.out) as Walk;
  assert.equal(w0.current.waitsFor, 'subject');
  assert.deepEqual(w0.current.options?.map((o) => o.id), ['ws-15', 'ws-27']);
  assert.deepEqual(w0.next, ['--choose ws-15', '--choose ws-27', '--choose all']);

  const walk = ['--choose', 'ws-15', '--answer', 'list-running=yes'];
  const w1 = JSON.parse((await cli(['guide', 'orchestrator-crash', '--json', ...walk], root)).out) as Walk;
  assert.equal(w1.subject?.id, 'ws-15');
  assert.equal(w1.current.node, 'inspect-branch');
  assert.deepEqual(w1.current.commands?.map((c) => c.run), ['git log ws/ws-15/agent-2 --oneline -5', 'git diff main..ws/ws-15/agent-2 --name-only', 'git diff main...ws/ws-15/agent-2']);
  assert.match(w1.path.at(-1)!.outcome, /^yes: 1 commit ahead of main on ws\/ws-15\/agent-2/);

  const toFix = [...walk, '--answer', 'inspect-branch=yes', '--choose', '2'];
  const w2 = JSON.parse((await cli(['guide', 'orchestrator-crash', '--json', ...toFix], root)).out) as Walk;
  assert.deepEqual([w2.current.node, w2.current.waitsFor, w2.current.target], ['mark-failed', 'confirm', 'ws-15']);
  assert.equal(status(root, 'ws-15'), 'running', 'a preview changes nothing');

  // A flag that does not fit where the walk stands is refused and runs nothing.
  const wrong = await cli(['guide', 'orchestrator-crash', '--json', ...toFix, '--answer', 'prune=yes'], root);
  assert.equal(wrong.code, 2);
  assert.match((JSON.parse(wrong.out) as Walk).error ?? '', /waits at "mark-failed", not "prune"/);
  assert.equal(status(root, 'ws-15'), 'running');

  const w3 = JSON.parse((await cli(['guide', 'orchestrator-crash', '--json', ...toFix, '--answer', 'mark-failed=yes'], root)).out) as Walk;
  assert.equal(status(root, 'ws-15'), 'failed');
  assert.equal(w3.current.node, 'remove-worktree');
  assert.equal(w3.current.target, '.worktrees/agent-2-ws-15');
});

test('on a terminal: numbered options, the subject named in every line, a fix-up run on "Run it", q stops', async (t) => {
  const root = demo(t);
  // ws-15; done; done; "No, discard"; mark-failed: Run it; remove-worktree: Skip it; then stop.
  const lines = ['1', '1', '1', '2', '1', '2', 'q'].join('\n') + '\n';
  const r = await cli(['guide', 'orchestrator-crash'], root, lines, true);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Now: Which workstream is this guide about\?\n {2}1\) ws-15 — ws-15 has been running/);
  assert.match(r.out, /3\) All of them, one by one/);
  assert.match(r.out, /\$ git log ws\/ws-15\/agent-2 --oneline -5/);
  assert.match(r.out, /Does ws-15's branch have commits main lacks\? — yes: 1 commit ahead of main/);
  assert.match(r.out, /UPDATE "workstream_status" SET status = 'failed'/);
  assert.match(r.out, /Done: ws-15 marked failed/);
  assert.match(r.out, /Remove ws-15's worktree \.worktrees\/agent-2-ws-15 — not run/);
  assert.match(r.out, /Stopped; nothing more was run\./);
  assert.equal(status(root, 'ws-15'), 'failed');
  assert.equal(readDb(join(root, '.state', 'orchestration.db')).find((x) => x.workstream_id === 'ws-27')!.error_message, 'Agent process exited with code 137 (out of memory)');
});
