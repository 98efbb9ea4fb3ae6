// Acceptance (#14): each MCP tool's result is what the CLI's --json prints for the same input, on
// seed 001's crashed orchestration. Compared deep-equal and whole; where a value depends on the
// clock the test says which and why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, cliJson, connect, demoWorkspace, userDirs } from './harness';
import type { ToolResult } from './harness';

/** What an MCP result carries as data: structuredContent, and the same JSON as its text block. */
function dataOf(r: ToolResult): unknown {
  assert.equal(r.content.length, 1);
  assert.deepEqual(JSON.parse(r.content[0]!.text), r.structuredContent, 'the text block is the structured result');
  return r.structuredContent;
}

/**
 * Diagnose and guide texts carry ages in whole minutes ("running for 311 min"), so a minute can
 * turn between two runs: the MCP result must equal the CLI's run just before it or just after.
 */
async function equalsCliAround(mcp: () => Promise<ToolResult>, cli: () => unknown, what: string): Promise<void> {
  const before = cli();
  const got = dataOf(await mcp());
  try {
    assert.deepEqual(got, before, what);
  } catch (e) {
    assert.deepEqual(got, cli(), `${what} (neither the CLI run before nor the one after): ${(e as Error).message}`);
  }
}

test('classify, check_command: the same JSON as `lifeline classify --json` and `check-command --json`', async (t) => {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  const s = await connect(t, demo.root, home.env);
  const log = readFileSync(join(demo.root, 'logs', 'orchestrator.log'), 'utf8');
  const classified = await call(s, 'lifeline_classify', { text: log });
  assert.equal(classified.isError, undefined);
  assert.deepEqual(dataOf(classified), cliJson(['classify', '-', '--json'], demo.root, home.env, log).json);
  assert.equal((classified.structuredContent as { scenario: string }).scenario, 'orchestrator-crash');
  const asLog = await call(s, 'lifeline_classify', { text: log, source: 'log' });
  assert.deepEqual(dataOf(asLog), cliJson(['classify', '-', '--source', 'log', '--json'], demo.root, home.env, log).json);
  // Output no playbook knows: still an answer (scenario null), not a tool error; the CLI exits 3.
  const unknown = await call(s, 'lifeline_classify', { text: 'all good here\n' });
  assert.equal(unknown.isError, undefined);
  const cliUnknown = cliJson(['classify', '-', '--json'], demo.root, home.env, 'all good here\n');
  assert.equal(cliUnknown.code, 3);
  assert.deepEqual(dataOf(unknown), cliUnknown.json);

  for (const command of ['alembic stamp head', 'git status']) {
    const r = await call(s, 'lifeline_check_command', { command });
    assert.equal(r.isError, undefined, command);
    assert.deepEqual(dataOf(r), cliJson(['check-command', '--json', '--', command], demo.root, home.env).json, command);
  }
  assert.equal((await call(s, 'lifeline_check_command', { command: 'alembic stamp head' })).structuredContent!.forbidden, true);
});

test('check_command reads the workspace for a forced worktree removal: forbidden while the worktree holds uncommitted work, as `check-command --cwd`', async (t) => {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  const s = await connect(t, demo.root, home.env);
  const cases: [Record<string, string>, string[], boolean][] = [
    // ws-15's worktree has uncommitted files; ws-08's is clean.
    [{ command: 'git worktree remove --force .worktrees/agent-2-ws-15' }, [], true],
    [{ command: 'git worktree remove -f agent-2-ws-15', cwd: '.worktrees' }, ['--cwd', '.worktrees'], true],
    [{ command: 'git -C .worktrees worktree remove --force agent-2-ws-15' }, [], true],
    [{ command: 'git worktree remove --force .worktrees/agent-1-ws-08' }, [], false],
    [{ command: 'git worktree remove .worktrees/agent-2-ws-15' }, [], false],
  ];
  for (const [args, flags, forbidden] of cases) {
    const r = await call(s, 'lifeline_check_command', args);
    assert.equal(r.isError, undefined, args.command);
    const cli = cliJson(['check-command', ...flags, '--json', '--', args.command!], demo.root, home.env);
    assert.deepEqual(dataOf(r), cli.json, args.command);
    assert.equal(r.structuredContent!.forbidden, forbidden, args.command);
    assert.equal(cli.code, forbidden ? 4 : 0, args.command);
  }
  const dirty = (await call(s, 'lifeline_check_command', { command: 'git worktree remove --force .worktrees/agent-2-ws-15' })).structuredContent as { rules: { playbook: string; reason: string }[] };
  assert.deepEqual(dirty.rules, [
    { playbook: 'worktree-corruption', title: 'Git worktree corruption', reason: '.worktrees/agent-2-ws-15 has uncommitted work; --force deletes it. Save it first (lifeline fix worktree.save-wip:.worktrees/agent-2-ws-15).' },
  ]);
});

test('diagnose, guide, preview_fix: the same JSON as `diagnose --json`, `guide --json` and `fix --dry-run --json`', async (t) => {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  const s = await connect(t, demo.root, home.env);
  await equalsCliAround(() => call(s, 'lifeline_diagnose'), () => cliJson(['diagnose', '--json'], demo.root, home.env).json, 'diagnose');
  const moves = ['--choose ws-27', '--answer list-running=yes'];
  await equalsCliAround(
    () => call(s, 'lifeline_guide', { playbook: 'orchestrator-crash', answers: moves }),
    () => cliJson(['guide', 'orchestrator-crash', '--json', '--choose', 'ws-27', '--answer', 'list-running=yes'], demo.root, home.env).json,
    'guide with moves',
  );
  await equalsCliAround(
    () => call(s, 'lifeline_guide', { scenario: 'agent-hang', subject: 'ws-15' }),
    () => cliJson(['guide', 'agent-hang', '--subject', 'ws-15', '--json'], demo.root, home.env).json,
    'guide by scenario, with a subject',
  );
  for (const action of ['workstream.mark-pending:ws-15', 'workstream.unblock:ws-22', 'worktree.prune']) {
    const r = await call(s, 'lifeline_preview_fix', { action });
    assert.equal(r.isError, undefined, action);
    assert.deepEqual(dataOf(r), cliJson(['fix', action, '--dry-run', '--json'], demo.root, home.env).json, action);
    assert.match(String(r.structuredContent!.previewId), /^[0-9a-f]{16}$/);
  }
  // A plan Lifeline refuses (deleting the main branch) is a tool error carrying the CLI's JSON (which exits 4).
  const refused = await call(s, 'lifeline_preview_fix', { action: 'branch.delete:main' });
  const cliRefused = cliJson(['fix', 'branch.delete:main', '--dry-run', '--json'], demo.root, home.env);
  assert.equal(cliRefused.code, 4);
  assert.equal(refused.isError, true);
  assert.deepEqual(dataOf(refused), cliRefused.json);
});

/** Entry ids and backup folders are named from the clock and a random suffix: masked, and nothing else. */
function timeless(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v).replace(/\d{8}T\d{9}Z-[0-9a-f]{6}/g, '<time-id>'));
}

test('fix, undo and journal: the same JSON as `fix --yes --json`, `undo --yes --json` and `journal --json`', async (t) => {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  home.trust(demo.root);
  const action = 'workstream.mark-pending:ws-15';
  const s = await connect(t, demo.root, home.env, 'accept');
  // MCP applies and undoes; then the CLI does the same on the restored workspace.
  const fixed = await call(s, 'lifeline_fix', { action });
  assert.equal(fixed.isError, undefined, fixed.content[0]!.text);
  assert.deepEqual(dataOf(await call(s, 'lifeline_journal')), cliJson(['journal', '--json'], demo.root, home.env).json);
  const undone = await call(s, 'lifeline_undo');
  assert.equal(undone.isError, undefined, undone.content[0]!.text);
  assert.deepEqual(dataOf(await call(s, 'lifeline_journal')), cliJson(['journal', '--json'], demo.root, home.env).json);
  const cliFixed = cliJson(['fix', action, '--yes', '--json'], demo.root, home.env);
  assert.equal(cliFixed.code, 0);
  const cliUndone = cliJson(['undo', '--yes', '--json'], demo.root, home.env);
  assert.equal(cliUndone.code, 0);
  assert.deepEqual(timeless(dataOf(fixed)), timeless(cliFixed.json));
  assert.deepEqual(timeless(dataOf(undone)), timeless(cliUndone.json));
  assert.equal((fixed.structuredContent as { result: { ok: boolean } }).result.ok, true);
});

test('record_attempt: the same JSON as `record-attempt --json`, each counting in its own fresh state folder', async (t) => {
  const demo = demoWorkspace(t);
  const mcpHome = userDirs(t);
  const cliHome = userDirs(t);
  mcpHome.trust(demo.root);
  const s = await connect(t, demo.root, mcpHome.env);
  const text = 'sqlite3.OperationalError: database is locked\n';
  let fp = '';
  for (let n = 1; n <= 3; n++) {
    const r = await call(s, 'lifeline_record_attempt', { text });
    assert.equal(r.isError, undefined);
    assert.deepEqual(dataOf(r), cliJson(['record-attempt', '-', '--json'], demo.root, cliHome.env, text).json, `attempt ${n}`);
    assert.equal(r.structuredContent!.count, n);
    fp = r.structuredContent!.fingerprint as string;
  }
  const byFp = await call(s, 'lifeline_record_attempt', { fingerprint: fp });
  assert.deepEqual(dataOf(byFp), cliJson(['record-attempt', '--fingerprint', fp, '--json'], demo.root, cliHome.env).json);
  assert.equal(byFp.structuredContent!.advice, 'change approach');
});
