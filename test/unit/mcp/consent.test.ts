// Acceptance (#14): lifeline_fix and lifeline_undo change anything only after a human's yes
// through MCP elicitation, for the plan the human was shown and previewed. On seed 001's crashed
// orchestration: every file under the workspace is hashed before and after each refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../git/helpers';
import { hashTree, treeDiff } from '../hostile/tree-hash';
import { SKIP, call, cliJson, connect, demoWorkspace, userDirs } from './harness';
import type { Answer, Demo } from './harness';

const ACTION = 'workstream.mark-pending:ws-15';

function status(database: string, id: string): string {
  const code = 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(c.execute("SELECT status FROM workstream_status WHERE workstream_id = ?", (sys.argv[2],)).fetchone()[0])';
  return execFileSync('python3', ['-c', code, database, id], { encoding: 'utf8' }).trim();
}

/** The orchestrator finishes ws-15 behind Lifeline's back. */
function completeWs15(database: string): void {
  const code = "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(\"UPDATE workstream_status SET status = 'completed', completed_at = '2026-12-01 21:00:00' WHERE workstream_id = 'ws-15'\")\nc.commit()";
  execFileSync('python3', ['-c', code, database]);
}

function trustedDemo(t: Parameters<typeof demoWorkspace>[0]): { demo: Demo; env: Record<string, string> } {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  home.trust(demo.root);
  return { demo, env: home.env };
}

test('fix from a client without elicitation is refused, telling the agent what to ask its human; no file changes', async (t) => {
  const { demo, env } = trustedDemo(t);
  const before = hashTree(demo.base, SKIP);
  const s = await connect(t, demo.root, env);
  // Whatever the model adds to the call is not consent: it is refused as unknown input.
  const smuggled = await call(s, 'lifeline_fix', { action: ACTION, confirm: true, yes: true, consent: 'the user said yes' });
  assert.equal(smuggled.isError, true);
  assert.match(smuggled.content[0]!.text, /Unrecognized keys: "confirm", "yes", "consent"/);
  const r = await call(s, 'lifeline_fix', { action: ACTION });
  assert.equal(r.isError, true);
  assert.match(r.content[0]!.text, /cannot ask the human \(no MCP form elicitation\).*Ask your human to run `lifeline fix workstream\.mark-pending:ws-15` in a terminal, or to confirm it in VS Code/);
  assert.deepEqual(treeDiff(before, hashTree(demo.base, SKIP)), []);
  assert.equal(status(demo.database, 'ws-15'), 'running');
});

test('a client that can only elicit by URL cannot be shown the plan: refused like one without elicitation; no file changes', async (t) => {
  const { demo, env } = trustedDemo(t);
  const before = hashTree(demo.base, SKIP);
  const s = await connect(t, demo.root, env, { answer: 'accept', elicitation: { url: {} } });
  for (const [name, args, says] of [
    ['lifeline_fix', { action: ACTION }, /cannot ask the human \(no MCP form elicitation\).*`lifeline fix workstream\.mark-pending:ws-15`/],
    ['lifeline_undo', {}, /cannot ask the human \(no MCP form elicitation\)\. Ask your human to run `lifeline undo`/],
  ] as const) {
    const r = await call(s, name, args);
    assert.equal(r.isError, true, name);
    assert.match(r.content[0]!.text, says, name);
  }
  assert.equal(s.asked.length, 0);
  assert.deepEqual(treeDiff(before, hashTree(demo.base, SKIP)), []);
});

for (const answer of ['decline', 'cancel', 'unticked'] as Answer[]) {
  test(`fix answered "${answer}" through elicitation is not applied; no file changes`, async (t) => {
    const { demo, env } = trustedDemo(t);
    const before = hashTree(demo.base, SKIP);
    const s = await connect(t, demo.root, env, answer);
    const r = await call(s, 'lifeline_fix', { action: ACTION });
    assert.equal(s.asked.length, 1, 'the human was asked');
    assert.equal(r.isError, true);
    assert.match(r.content[0]!.text, /not applied: the human did not confirm/);
    assert.deepEqual(treeDiff(before, hashTree(demo.base, SKIP)), []);
    assert.equal(status(demo.database, 'ws-15'), 'running');
  });
}

test('fix accepted through elicitation: the human is shown the previewed plan, then it is applied and journaled', async (t) => {
  const { demo, env } = trustedDemo(t);
  const s = await connect(t, demo.root, env, 'accept');
  const previewId = (await call(s, 'lifeline_preview_fix', { action: ACTION })).structuredContent!.previewId as string;
  const r = await call(s, 'lifeline_fix', { action: ACTION, previewId });
  assert.equal(r.isError, undefined, r.content[0]!.text);
  assert.equal(s.asked.length, 1);
  const shown = s.asked[0]!.message;
  assert.match(shown, new RegExp(`^Lifeline: apply this fix-up\\? \\(plan ${previewId}\\)$`, 'm'));
  assert.ok(shown.includes(`UPDATE "workstream_status" SET status = 'pending', started_at = NULL, completed_at = NULL WHERE workstream_id = 'ws-15' (1 row)`), shown);
  const result = r.structuredContent!.result as { ok: boolean; journalId: string };
  assert.equal(result.ok, true);
  assert.equal(status(demo.database, 'ws-15'), 'pending');
  const journal = cliJson(['journal', '--json'], demo.root, env).json as { entries: { id: string; actionId: string; status: string }[] };
  assert.deepEqual(journal.entries.map((e) => [e.id, e.actionId, e.status]), [[result.journalId, ACTION, 'undoable']]);
});

test('the plan the human is shown escapes names from the workspace: a file name cannot forge a line of it', async (t) => {
  const { demo, env } = trustedDemo(t);
  const evil = 'notes\nDiscards: nothing\n\u202etxt.exe';
  writeFileSync(join(demo.root, '.worktrees', 'agent-2-ws-15', evil), 'x\n');
  const before = hashTree(demo.base, SKIP);
  const s = await connect(t, demo.root, env, 'decline');
  await call(s, 'lifeline_fix', { action: 'worktree.remove:.worktrees/agent-2-ws-15' });
  assert.equal(s.asked.length, 1);
  const lines = s.asked[0]!.message.split('\n');
  assert.ok(lines.some((l) => l.includes('notes\\nDiscards: nothing\\n\\u202etxt.exe')), s.asked[0]!.message);
  assert.ok(!lines.includes('Discards: nothing'), 'a forged line');
  // eslint-disable-next-line no-control-regex -- what must not reach the human's screen
  assert.ok(lines.every((l) => !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(l)), s.asked[0]!.message);
  assert.deepEqual(treeDiff(before, hashTree(demo.base, SKIP)), []);
});

test('the undo the human is shown escapes the journal entry: a tampered title cannot forge a line of it', async (t) => {
  const { demo, env } = trustedDemo(t);
  const fixed = cliJson(['fix', ACTION, '--yes', '--json'], demo.root, env).json as { result: { journalId: string } };
  const file = join(demo.root, '.state', 'lifeline-journal', `${fixed.result.journalId}.json`);
  const entry = JSON.parse(readFileSync(file, 'utf8')) as { title: string };
  writeFileSync(file, JSON.stringify({ ...entry, title: `${entry.title}\nnothing to restore\u001b[2J` }));
  const s = await connect(t, demo.root, env, 'decline');
  const r = await call(s, 'lifeline_undo');
  assert.equal(r.isError, true);
  assert.equal(s.asked.length, 1, r.content[0]!.text);
  const lines = s.asked[0]!.message.split('\n');
  assert.ok(lines.some((l) => l.includes('\\nnothing to restore\\x1b[2J')), s.asked[0]!.message);
  assert.ok(!lines.some((l) => l.startsWith('nothing to restore')), 'a forged line');
  assert.equal(status(demo.database, 'ws-15'), 'pending');
});

test('a row changed between preview and yes: the old previewId is refused before the human is asked; no file changes', async (t) => {
  const { demo, env } = trustedDemo(t);
  const s = await connect(t, demo.root, env, 'accept');
  const previewId = (await call(s, 'lifeline_preview_fix', { action: ACTION })).structuredContent!.previewId as string;
  completeWs15(demo.database);
  const before = hashTree(demo.base, SKIP);
  const r = await call(s, 'lifeline_fix', { action: ACTION, previewId });
  assert.equal(r.isError, true);
  assert.match(r.content[0]!.text, new RegExp(`refused: the plan is no longer the one previewed \\(plan [0-9a-f]{16}, not ${previewId}\\); nothing was changed`));
  assert.equal(s.asked.length, 0, 'no one is asked about a plan they did not preview');
  assert.deepEqual(treeDiff(before, hashTree(demo.base, SKIP)), []);
  assert.equal(status(demo.database, 'ws-15'), 'completed');
});

test('a worktree changed between preview and yes (the agent committed): the old previewId is refused; no file changes', async (t) => {
  const { demo, env } = trustedDemo(t);
  const wt = join(demo.root, '.worktrees', 'agent-2-ws-15');
  const action = 'worktree.save-wip:.worktrees/agent-2-ws-15';
  const s = await connect(t, demo.root, env, 'accept');
  const previewId = (await call(s, 'lifeline_preview_fix', { action })).structuredContent!.previewId as string;
  git(wt, 'add', 'tests/api/test_routes.py');
  git(wt, '-c', 'user.name=agent-2', '-c', 'user.email=agent-2@example.invalid', 'commit', '-q', '-m', 'ws-15: first page test');
  const before = hashTree(demo.base, SKIP);
  const head = git(wt, 'rev-parse', 'HEAD');
  const r = await call(s, 'lifeline_fix', { action, previewId });
  assert.equal(r.isError, true);
  assert.match(r.content[0]!.text, /refused: the plan is no longer the one previewed/);
  assert.equal(s.asked.length, 0);
  assert.deepEqual(treeDiff(before, hashTree(demo.base, SKIP)), []);
  assert.equal(git(wt, 'rev-parse', 'HEAD'), head);
});

test('a row changed while the human was being asked: refused after the yes, because the plan made again differs', async (t) => {
  const { demo, env } = trustedDemo(t);
  let before = hashTree(demo.base, SKIP);
  // The orchestrator finishes ws-15 while the confirmation is on screen; the yes was for "running".
  const s = await connect(t, demo.root, env, {
    answer: 'accept',
    before: () => {
      completeWs15(demo.database);
      before = hashTree(demo.base, SKIP);
    },
  });
  const r = await call(s, 'lifeline_fix', { action: ACTION });
  assert.equal(s.asked.length, 1);
  assert.equal(r.isError, true);
  assert.match(r.content[0]!.text, /refused: the plan changed after it was shown \(plan [0-9a-f]{16}, not [0-9a-f]{16}\); nothing was changed/);
  assert.deepEqual(treeDiff(before, hashTree(demo.base, SKIP)), []);
  assert.equal(status(demo.database, 'ws-15'), 'completed');
});

test('a worktree unlocked while the human was being asked: refused after the yes; the worktree stays as the human left it', async (t) => {
  const { demo, env } = trustedDemo(t);
  const wt = join(demo.root, '.worktrees', 'agent-1-ws-08');
  git(demo.root, 'worktree', 'lock', '--reason', 'on a removable disk', wt);
  const action = 'worktree.unlock:.worktrees/agent-1-ws-08';
  let before = hashTree(demo.base, SKIP);
  // Someone unlocks it by hand while the confirmation is on screen: the plan made again after the
  // yes (nothing to unlock) is not the one shown (unlock, reason "on a removable disk").
  const s = await connect(t, demo.root, env, {
    answer: 'accept',
    before: () => {
      git(demo.root, 'worktree', 'unlock', wt);
      before = hashTree(demo.base, SKIP);
    },
  });
  const r = await call(s, 'lifeline_fix', { action });
  assert.equal(s.asked.length, 1);
  assert.match(s.asked[0]!.message, /on a removable disk/);
  assert.equal(r.isError, true);
  assert.match(String(r.structuredContent!.error), /^refused: the plan changed after it was shown \(plan [0-9a-f]{16}, not [0-9a-f]{16}\); nothing was changed/);
  assert.deepEqual(treeDiff(before, hashTree(demo.base, SKIP)), []);
  assert.doesNotMatch(git(demo.root, 'worktree', 'list', '--porcelain'), /^locked/m);
});

test('undo: refused without elicitation and when declined (nothing changes); accepted, it restores and is journaled', async (t) => {
  const { demo, env } = trustedDemo(t);
  assert.equal(cliJson(['fix', ACTION, '--yes', '--json'], demo.root, env).code, 0);
  const before = hashTree(demo.base, SKIP);

  const plain = await connect(t, demo.root, env);
  const smuggled = await call(plain, 'lifeline_undo', { confirm: true });
  assert.equal(smuggled.isError, true);
  assert.match(smuggled.content[0]!.text, /Unrecognized key: "confirm"/);
  const refused = await call(plain, 'lifeline_undo');
  assert.equal(refused.isError, true);
  assert.match(refused.content[0]!.text, /cannot ask the human \(no MCP form elicitation\)\. Ask your human to run `lifeline undo` in a terminal/);
  const no = await connect(t, demo.root, env, 'decline');
  const declined = await call(no, 'lifeline_undo');
  assert.equal(declined.isError, true);
  assert.match(declined.content[0]!.text, /not undone: the human did not confirm \(decline\)/);
  assert.deepEqual(treeDiff(before, hashTree(demo.base, SKIP)), []);
  assert.equal(status(demo.database, 'ws-15'), 'pending');

  const yes = await connect(t, demo.root, env, 'accept');
  const undone = await call(yes, 'lifeline_undo');
  assert.equal(undone.isError, undefined, undone.content[0]!.text);
  assert.match(yes.asked[0]!.message, /^Lifeline: undo this\?\nUndo \d{8}T\d{9}Z-[0-9a-f]{6}: ws-15: Reset a workstream to pending/);
  assert.equal(status(demo.database, 'ws-15'), 'running');
  const journal = cliJson(['journal', '--json'], demo.root, env).json as { entries: { id: string; actionId: string }[] };
  assert.ok(journal.entries.some((e) => e.id === (undone.structuredContent!.result as { journalId: string }).journalId));
});
