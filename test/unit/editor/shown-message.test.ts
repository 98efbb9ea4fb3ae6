// What the guide page is sent: text from the workspace (a subject, evidence, a fix-up's result)
// arrives with control characters, line breaks in one-line fields and bidi overrides escaped,
// multi-line fields keep their lines, and the page's choice of an escaped subject finds the
// real one (or none, when two read the same).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panelView } from '../../../src/editor/webview/panel-view';
import type { Localize } from '../../../src/editor/webview/panel-view';
import { rawSubjectId, shownMessage } from '../../../src/editor/webview/shown-message';
import { HostMessageSchema } from '../../../src/webview/protocol';
import { RecoverySession } from '../../../src/core/decisions/session';
import { ScriptedWorkspace, worktreePlaybook } from '../decisions/fixtures';

const t: Localize = (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
const HOSTILE = 'ws-15\u202e\u001b]52;c;eA==\u0007\n  > forged';
// eslint-disable-next-line no-control-regex -- what must not reach the page
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

test('every string of a state message is shown escaped; bodies keep their lines; persist is left as the session holds it', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no', detail: `pid gone ${HOSTILE}` });
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  ws.results.set('worktree.save-wip', { ok: false, message: `failed: ${HOSTILE}` });
  const s = RecoverySession.start(worktreePlaybook(), ws, { id: 'v1', subject: HOSTILE, trigger: { source: 'terminal', at: '2025-01-07T12:00:00.000Z', commandLine: `pytest ${HOSTILE}`, evidence: [{ text: `E   ${HOSTILE}` }] } });
  await s.advance();
  await s.confirm('save');
  const view = panelView(s.playbook, s.state, { t, trusted: true, titleOf: () => undefined });
  assert.ok(strings(view).some((x) => RAW.test(x)), 'the fixture carries hostile text into the view');
  const persist = { session: s.state };
  const sent = shownMessage({ type: 'state', view, persist });
  assert.equal(HostMessageSchema.safeParse(sent).success, true);
  if (sent.type !== 'state') throw new Error('not a state message');
  const raw = strings(sent.view).filter((x) => RAW.test(x));
  assert.deepEqual(raw, [], 'raw control or bidi characters reached the page');
  assert.equal(sent.view.subject, 'ws-15\\u202e\\x1b]52;c;eA==\\x07\\n  > forged');
  assert.ok(sent.view.evidence.some((e) => e.includes('\\u202e')), sent.view.evidence.join(' | '));
  assert.equal(sent.persist, persist, 'persist is opaque to the page');
  // A body may span lines; its line breaks stay, its other controls do not.
  const body = shownMessage({ type: 'state', view: { ...view, current: { ...view.current, body: 'one\ntwo \u202e three' } }, persist });
  if (body.type !== 'state') throw new Error('not a state message');
  assert.equal(body.view.current.body, 'one\ntwo \\u202e three');
  const progress = shownMessage({ type: 'progress', line: `git: ${HOSTILE}` });
  assert.deepEqual(progress, { type: 'progress', line: 'git: ws-15\\u202e\\x1b]52;c;eA==\\x07\\n  > forged' });
});

test('a subject the page picked by its escaped id is the one it saw, and two that read the same are neither', () => {
  const ids = ['.worktrees/a\u202eb', 'ws-15', '.worktrees/x\u001by', '.worktrees/x\\x1by'];
  assert.equal(rawSubjectId(ids, '.worktrees/a\\u202eb'), '.worktrees/a\u202eb');
  assert.equal(rawSubjectId(ids, 'ws-15'), 'ws-15');
  assert.equal(rawSubjectId(ids, '.worktrees/x\\x1by'), undefined, 'ambiguous: nothing is chosen');
  assert.equal(rawSubjectId(ids, 'nope'), undefined);
});
