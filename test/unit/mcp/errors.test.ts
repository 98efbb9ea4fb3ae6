// Acceptance (#14): bad input to any tool is a tool error (isError, one readable line), never a
// crash and never a protocol error: the same server keeps answering afterwards. Where the tool
// has data to go with the refusal (a plan, a walk so far) it is the CLI's JSON with an `error` line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashTree, treeDiff } from '../hostile/tree-hash';
import { SKIP, call, connect, demoWorkspace, userDirs } from './harness';

/** [tool, arguments, what the error says]. Schema violations are the SDK's zod check; the rest are Lifeline's own. */
const BAD: [string, Record<string, unknown>, RegExp][] = [
  ['lifeline_classify', {}, /Input validation error/],
  ['lifeline_classify', { text: 42 }, /Input validation error/],
  ['lifeline_classify', { text: 'x', source: 'stdin' }, /Input validation error/],
  ['lifeline_guide', {}, /name a playbook/],
  ['lifeline_guide', { playbook: 'no-such-playbook' }, /no playbook "no-such-playbook"/],
  ['lifeline_guide', { playbook: 'orchestrator-crash', answers: '--choose ws-27' }, /Input validation error/],
  ['lifeline_guide', { playbook: 'orchestrator-crash', answers: ['yes please'] }, /answer "yes please": write it as the guide's next list does/],
  ['lifeline_guide', { playbook: 'orchestrator-crash', answers: ['--choose ws-27', '--answer nowhere=yes'] }, /the guide waits at "list-running", not "nowhere"/],
  ['lifeline_check_command', {}, /Input validation error/],
  ['lifeline_check_command', { command: ['git', 'status'] }, /Input validation error/],
  ['lifeline_check_command', { command: 'git worktree remove --force x', cwd: 'no/such/folder' }, /cannot use no\/such\/folder as the workspace: ENOENT/],
  ['lifeline_record_attempt', {}, /give either the failing output \(text\) or a fingerprint/],
  ['lifeline_record_attempt', { text: 'x', fingerprint: 'y' }, /give either the failing output \(text\) or a fingerprint, not both/],
  ['lifeline_record_attempt', { fingerprint: 'a\nb' }, /a fingerprint is one line/],
  ['lifeline_preview_fix', {}, /Input validation error/],
  ['lifeline_preview_fix', { action: '' }, /Input validation error/],
  ['lifeline_preview_fix', { action: 'worktree.explode:x' }, /unknown action "worktree\.explode"/],
  ['lifeline_preview_fix', { action: 'worktree.remove:.worktrees/a\nb' }, /unsafe action subject .*control characters/],
  ['lifeline_preview_fix', { action: 'workstream.mark-pending:ws-404' }, /no workstream "ws-404"/],
  ['lifeline_fix', { action: 'workstream.mark-pending:ws-15', previewId: 'not-a-digest' }, /Input validation error/],
  ['lifeline_fix', { action: 'worktree.explode:x' }, /unknown action "worktree\.explode"/],
  ['lifeline_fix', { action: 'branch.delete:main' }, /refused: main is the main branch/],
  ['lifeline_undo', { entry: '../../etc/passwd' }, /Input validation error/],
  ['lifeline_undo', { entry: '20260101T000000000Z-abcdef' }, /20260101T000000000Z-abcdef/],
  ['lifeline_no_such_tool', {}, /lifeline_no_such_tool not found/],
];

test('bad input to each tool is a one-line tool error; the server keeps serving and nothing changes', async (t) => {
  const demo = demoWorkspace(t);
  const home = userDirs(t);
  home.trust(demo.root);
  const before = hashTree(demo.base, SKIP);
  const s = await connect(t, demo.root, home.env, 'accept');
  for (const [name, args, says] of BAD) {
    const what = `${name} ${JSON.stringify(args)}`;
    const r = await call(s, name, args);
    assert.equal(r.isError, true, what);
    // A refusal with a plan or a walk carries the CLI's JSON, its one line in `error`; the rest are that line alone.
    const line = typeof r.structuredContent?.error === 'string' ? r.structuredContent.error : r.content[0]!.text;
    assert.match(line, says, what);
  }
  assert.equal(s.asked.length, 0, 'bad input never reaches the human');
  assert.deepEqual(treeDiff(before, hashTree(demo.base, SKIP)), []);
  // Still serving: the same connection answers a good call.
  const ok = await call(s, 'lifeline_check_command', { command: 'git status' });
  assert.equal(ok.isError, undefined);
  assert.doesNotMatch(s.stderr(), /\n\s+at /, 'no stack trace on stderr');
});
