import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endSummary, nativeShellFirst, panelStrings, panelView, previewView, quoteArg } from '../../../src/editor/webview/panel-view';
import type { Localize } from '../../../src/editor/webview/panel-view';
import { HostMessageSchema, PanelViewSchema, STRING_KEYS, parseHostMessage, parsePageMessage } from '../../../src/webview/protocol';
import { RecoverySession } from '../../../src/core/decisions/session';
import { ScriptedWorkspace, worktreePlaybook } from '../decisions/fixtures';

/** vscode.l10n.t without a bundle: placeholders filled, text as written. */
const t: Localize = (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
const ctx = { t, trusted: true, titleOf: (id: string) => (id === 'merge-conflict' ? 'Merge conflict' : undefined) };

test('argv is shown with its boundaries visible, never merged into a shell string', () => {
  assert.equal(quoteArg('worktree'), 'worktree');
  assert.equal(quoteArg('.worktrees/agent 1'), "'.worktrees/agent 1'");
  assert.equal(quoteArg("it's"), `'it'\\''s'`);
  assert.equal(quoteArg(''), "''");
  assert.equal(quoteArg('$(rm -rf ~)'), "'$(rm -rf ~)'");
  const v = previewView({ title: 'Remove', git: [['worktree', 'remove', '.worktrees/agent 1']], notes: [], effect: 'destructive' });
  assert.deepEqual(v.git, ["git worktree remove '.worktrees/agent 1'"]);
});

test('SQL previews become a table of the rows they change, NULLs shown as NULL', () => {
  const v = previewView({
    title: 'Mark failed',
    sql: [{ statement: "UPDATE workstream_status SET status='failed' WHERE workstream_id=?", rows: [{ workstream_id: 'ws-15', status: 'running', error_message: null }, { workstream_id: 'ws-16', notes: { a: 1 } }] }],
    notes: ['a backup is taken first'],
    effect: 'reversible',
  });
  assert.deepEqual(v.sql[0]!.columns, ['workstream_id', 'status', 'error_message', 'notes']);
  assert.deepEqual(v.sql[0]!.rows, [
    ['ws-15', 'running', 'NULL', 'NULL'],
    ['ws-16', 'NULL', 'NULL', '{"a":1}'],
  ]);
});

test('the view of a walked session passes the page-side validation and words each step', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no', detail: 'pid gone' });
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  ws.results.set('worktree.save-wip', { ok: false, message: 'merge conflict', handOff: 'merge-conflict' });
  const s = RecoverySession.start(worktreePlaybook(), ws, {
    id: 'v1',
    subject: 'ws-15',
    trigger: { source: 'terminal', at: '2025-01-07T12:00:00.000Z', commandLine: 'pytest -x', exitCode: 1, evidence: [{ text: 'E   boom', line: 3 }] },
  });
  await s.advance();
  // The step says which checks answered themselves on the way there, and what they saw.
  assert.deepEqual(panelView(s.playbook, s.state, ctx).current.checked, [
    { title: 'Is the agent process still alive?', outcome: 'no: pid gone' },
    { title: 'Does the worktree hold uncommitted work?', outcome: 'yes (checked)' },
  ]);
  await s.confirm('save');
  const v = panelView(s.playbook, s.state, ctx);
  assert.equal(v.current.checked, undefined, 'a fix-up the user ran came last: nothing was checked on the way');
  assert.equal(PanelViewSchema.safeParse(v).success, true, JSON.stringify(PanelViewSchema.safeParse(v).error?.issues));
  assert.equal(v.scenario.severityText, '3 — Major: Stop and fix: stop the current work, document it, fix before going on.');
  assert.equal(v.scenario.severityShort, 'Severity 3');
  // People read times, not ISO strings: another day shows the date, today only the time.
  assert.equal(panelView(s.playbook, s.state, { ...ctx, locale: 'en-GB', timeZone: 'UTC', now: new Date('2025-01-09T08:00:00Z') }).origin, 'Terminal · pytest -x · exit code 1 · 7 Jan, 12:00');
  const today = panelView(s.playbook, s.state, { ...ctx, locale: 'en-GB', timeZone: 'UTC', now: new Date('2025-01-07T18:00:00Z') });
  assert.equal(today.origin, 'Terminal · pytest -x · exit code 1 · 12:00');
  assert.match(today.actions[0]!.at, /^12:3\d$/);
  assert.deepEqual(v.evidence, ['3: E   boom']);
  assert.deepEqual(
    v.path.map((p) => [p.title, p.outcome, p.tone]),
    [
      // An automatic check's answer carries what it saw; one without evidence says it was checked.
      ['Is the agent process still alive?', 'no: pid gone', 'neutral'],
      ['Does the worktree hold uncommitted work?', 'yes (checked)', 'neutral'],
      ['Save the work in progress', 'failed: merge conflict', 'bad'],
    ],
  );
  assert.equal(v.current.kind, 'step');
  assert.deepEqual(v.current.kind === 'step' && v.current.commands, [{ index: 0, run: 'git commit -a -m wip', shell: 'any' }]);
  assert.deepEqual(v.actions[0]!.handOff, { playbookId: 'merge-conflict', title: 'Merge conflict' });
  assert.equal(v.canGoBack, true);
  // The map: the whole graph, worded; the check that answered itself carries its evidence.
  assert.equal(v.progress.text, 'Step 4 of about 6');
  const alive = v.outline.find((e) => e.nodeId === 'alive')!;
  assert.deepEqual([alive.status, alive.outcome, alive.evidence], ['visited', 'no: pid gone', undefined]);
  const manual = v.outline.find((e) => e.nodeId === 'manual')!;
  assert.deepEqual([manual.status, manual.via, manual.taken], ['current', 'if it fails', true]);
  assert.deepEqual(v.outline.find((e) => e.nodeId === 'wait' && !e.ref)!.status, 'not-taken');
  // And the whole message validates the way the page checks it.
  assert.ok(parseHostMessage({ type: 'state', view: v, persist: s.state }));
});

test('an untrusted workspace is said in the user language, and the view offers no undo', async () => {
  const ws = new ScriptedWorkspace();
  ws.fixupsAllowed = false;
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  const s = RecoverySession.start(worktreePlaybook(), ws, { id: 'u' });
  await s.advance();
  const french: Localize = (m, ...a) => (m.startsWith('This workspace is not trusted') ? "Cet espace de travail n'est pas approuvé." : t(m, ...a));
  const v = panelView(s.playbook, s.state, { ...ctx, t: french, trusted: false });
  assert.equal(v.current.kind, 'confirm');
  assert.deepEqual(v.current.kind === 'confirm' && v.current.blocked, { reason: "Cet espace de travail n'est pas approuvé.", code: 'untrusted' });
  assert.equal(v.trusted, false);
  assert.equal(v.canGoBack, false, 'only automatic checks so far: nothing to go back to');
});

test('every page string is localised through the given function', () => {
  const seen: string[] = [];
  const strings = panelStrings((m) => {
    seen.push(m);
    return `«${m}»`;
  });
  assert.equal(Object.keys(strings).length, STRING_KEYS.length);
  assert.equal(seen.length, STRING_KEYS.length);
  assert.ok(Object.values(strings).every((v) => v.startsWith('«')));
  assert.ok(HostMessageSchema.safeParse({ type: 'init', strings }).success);
});

test('the host accepts only well-formed page messages', () => {
  assert.deepEqual(parsePageMessage({ type: 'confirm', requestId: 4, nodeId: 'save', discard: false }), { type: 'confirm', requestId: 4, nodeId: 'save', discard: false });
  assert.ok('error' in parsePageMessage({ type: 'confirm', requestId: 4, nodeId: 'save' }), 'discard must be stated');
  assert.ok('error' in parsePageMessage({ type: 'runCommand', requestId: 1, nodeId: 'x', index: 0, command: 'rm -rf /' }), 'the page cannot smuggle command text');
  assert.ok('error' in parsePageMessage({ type: 'choose', requestId: -1, nodeId: 'x', index: 0 }));
  assert.ok('error' in parsePageMessage({ type: 'eval', code: '1' }));
  assert.ok('error' in parsePageMessage('ready'));
  assert.ok('error' in parsePageMessage(null));
  assert.match((parsePageMessage({ type: 'answer', requestId: 1, nodeId: 'a', answer: 'maybe' }) as { error: string }).error, /^answer: /);
});

test('the page ignores host messages that do not fit the protocol', () => {
  assert.equal(parseHostMessage({ type: 'state', view: { sessionId: 'x' }, persist: null }), undefined);
  assert.equal(parseHostMessage({ type: 'reply', requestId: 1, ok: 'yes' }), undefined);
  assert.equal(parseHostMessage({ type: 'script', src: 'x' }), undefined);
  assert.deepEqual(parseHostMessage({ type: 'progress', line: 'fetching' }), { type: 'progress', line: 'fetching' });
});

test("a step's shell variants list the platform's own shell first; neutral commands keep their places", () => {
  // As the playbooks write them: PowerShell variants, then bash ones, around shell-neutral steps.
  const cmds = [{ shell: 'any' }, { shell: 'powershell' }, { shell: 'powershell' }, { shell: 'bash' }, { shell: 'bash' }, { shell: 'sql' }, { shell: 'cmd' }, { shell: 'bash' }];
  assert.deepEqual(nativeShellFirst(cmds, 'linux'), [0, 3, 4, 1, 2, 5, 7, 6]);
  assert.deepEqual(nativeShellFirst(cmds, 'darwin'), [0, 3, 4, 1, 2, 5, 7, 6]);
  assert.deepEqual(nativeShellFirst(cmds, 'win32'), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(nativeShellFirst([], 'linux'), []);
});

test('the step view carries each command\'s playbook index, so requests name the command the user saw', async () => {
  const ws = new ScriptedWorkspace();
  const playbook = worktreePlaybook();
  const step = playbook.nodes.find((n) => n.kind === 'step');
  assert.ok(step && step.kind === 'step');
  step.commands = [
    { run: 'Remove-Item x', shell: 'powershell' },
    { run: 'rm x', shell: 'bash' },
  ];
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'yes' });
  ws.results.set('worktree.save-wip', { ok: false, message: 'merge conflict', handOff: 'merge-conflict' });
  const s = RecoverySession.start(playbook, ws, { id: 'v3', subject: '.worktrees/a' });
  await s.advance();
  await s.confirm('save');
  const linux = panelView(s.playbook, s.state, { ...ctx, platform: 'linux' });
  assert.deepEqual(linux.current.kind === 'step' && linux.current.commands.map((c) => [c.index, c.run]), [
    [1, 'rm x'],
    [0, 'Remove-Item x'],
  ]);
  const windows = panelView(s.playbook, s.state, { ...ctx, platform: 'win32' });
  assert.deepEqual(windows.current.kind === 'step' && windows.current.commands.map((c) => c.index), [0, 1]);
  assert.equal(PanelViewSchema.safeParse(linux).success, true);
});

test('a write previews each row before -> after, the changed columns first', () => {
  const v = previewView({
    title: 'Mark failed',
    sql: [
      {
        statement: "UPDATE workstream_status SET status = 'failed', error_message = 'boom' WHERE workstream_id = 'ws-15'",
        rows: [{ workstream_id: 'ws-15', agent_id: 'agent-1', status: 'running', error_message: null }],
        after: [{ workstream_id: 'ws-15', agent_id: 'agent-1', status: 'failed', error_message: 'boom' }],
      },
    ],
    notes: [],
    effect: 'reversible',
  });
  const q = v.sql[0]!;
  assert.deepEqual(q.columns, ['status', 'error_message', 'workstream_id', 'agent_id']);
  assert.equal(q.changedColumns, 2);
  assert.deepEqual(q.rows, [['running', 'NULL', 'ws-15', 'agent-1']]);
  assert.deepEqual(q.after, [['failed', 'boom', 'ws-15', 'agent-1']]);
  assert.equal(PanelViewSchema.shape.current.safeParse({ nodeId: 'n', title: 'x', kind: 'confirm', actionId: 'a', description: 'd', preview: v }).success, true);
});

test('each effect has its own badge wording, and none of them points to the CLI', () => {
  const s = panelStrings(t);
  const badges = [s.readOnly, s.reversible, s.irreversible, s.destructive];
  assert.equal(new Set(badges).size, 4);
  assert.match(s.reversible, /^Reversible: .*Undo/);
  assert.match(s.irreversible, /^Irreversible: .*cannot be undone/);
  for (const b of badges) assert.doesNotMatch(b, /lifeline undo|`/);
  for (const effect of ['read-only', 'reversible', 'irreversible', 'destructive'] as const) {
    assert.equal(previewView({ title: 'x', notes: [], effect }).effect, effect);
  }
});

test('Undo is offered for a reversible fix-up until it is undone, never for an irreversible one', async () => {
  const ws = new ScriptedWorkspace();
  ws.answers.set('process.alive', { answer: 'no' });
  ws.answers.set('worktree.dirty', { answer: 'no' });
  const s = RecoverySession.start(worktreePlaybook(), ws, { id: 'u1', subject: 'ws-15' });
  await s.advance();
  await s.confirm('mark');
  const state = s.state;
  const record = state.actions[0]!;
  const undoable = (effect: 'reversible' | 'irreversible' | 'destructive', undone?: string) =>
    panelView(s.playbook, { ...state, actions: [{ ...record, effect, ...(undone ? { undone } : {}) }] }, ctx).actions[0]!.undoable;
  assert.equal(undoable('reversible'), true);
  assert.equal(undoable('destructive'), true);
  assert.equal(undoable('irreversible'), false);
  assert.equal(undoable('reversible', '2025-01-07T12:00:00.000Z'), false);
});

test("the end's count leaves out what the guide's own fix-up meant to leave (a workstream marked failed for a retry)", () => {
  const say: Localize = (m, ...a) => m.replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)]));
  assert.equal(endSummary([{ mine: true, intended: true }, { mine: false }], say), 'Nothing is left of what this guide handled; 1 other problem remains in the workspace.');
  assert.equal(endSummary([{ mine: true, intended: true }, { mine: true }], say), '1 problem remains about what this guide handled.');
  assert.equal(endSummary([{ mine: true, intended: true }], say), 'The diagnosis finds no problem left in the workspace.');
});
