// Acceptance (#14): in a folder missing from Lifeline's trust list (seeded here as the file
// `lifeline trust` writes), MCP serves classify, guide, check_command, diagnose, journal and
// previews, and refuses fix, undo and record_attempt before asking anyone or writing anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashTree, treeDiff } from '../hostile/tree-hash';
import { SKIP, call, cliJson, connect, demoWorkspace, userDirs } from './harness';

const READ_ONLY_CALLS: [string, Record<string, unknown>][] = [
  ['lifeline_classify', { text: 'sqlite3.OperationalError: database is locked\n' }],
  ['lifeline_guide', { playbook: 'orchestrator-crash', answers: ['--choose ws-27'] }],
  ['lifeline_check_command', { command: 'alembic stamp head' }],
  ['lifeline_diagnose', {}],
  ['lifeline_journal', {}],
  ['lifeline_preview_fix', { action: 'workstream.mark-pending:ws-15' }],
];

test('an untrusted folder: every read-only tool answers, fix, undo and record_attempt are refused in one line; nothing is asked or written', async (t) => {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  // A journal entry, so that undo would have something to undo.
  assert.equal(cliJson(['fix', 'workstream.mark-pending:ws-15', '--yes', '--json'], demo.root, home.env).code, 0);
  const before = hashTree(demo.base, SKIP);
  const s = await connect(t, demo.root, home.env, 'accept');
  for (const [name, args] of READ_ONLY_CALLS) {
    const r = await call(s, name, args);
    assert.equal(r.isError, undefined, `${name}: ${r.content[0]?.text}`);
    assert.ok(r.structuredContent, name);
  }
  for (const [name, args] of [
    ['lifeline_fix', { action: 'workstream.mark-failed:ws-15' }],
    ['lifeline_undo', {}],
    ['lifeline_record_attempt', { text: 'sqlite3.OperationalError: database is locked\n' }],
  ] as const) {
    const r = await call(s, name, args);
    assert.equal(r.isError, true, name);
    assert.equal(r.content.length, 1);
    assert.equal(r.content[0]!.text, `Refused: ${demo.root} is not on Lifeline's trust list, so only the read-only tools run here. A person can trust it with \`lifeline trust ${demo.root}\` in a terminal.`, name);
  }
  assert.equal(s.asked.length, 0, 'no human is asked in an untrusted folder');
  assert.deepEqual(treeDiff(before, hashTree(demo.base, SKIP)), []);
  assert.match(s.stderr(), /not on the trust list: read-only tools only/);
});

test('trust is the folder itself or one above it: a trusted sibling whose name starts the same trusts nothing here', async (t) => {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  home.trust(`${demo.root}-other`);
  const s = await connect(t, demo.root, home.env, 'accept');
  const r = await call(s, 'lifeline_fix', { action: 'workstream.mark-failed:ws-15' });
  assert.equal(r.isError, true);
  assert.match(r.content[0]!.text, /is not on Lifeline's trust list/);
  home.trust(demo.base);
  const above = await connect(t, demo.root, home.env, 'accept');
  const fixed = await call(above, 'lifeline_fix', { action: 'workstream.mark-failed:ws-15' });
  assert.equal(fixed.isError, undefined, fixed.content[0]!.text);
  assert.equal(above.asked.length, 1);
});
