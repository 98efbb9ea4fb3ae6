// Lifeline's Language Model Tools in a real extension host, on the demo's crashed orchestration,
// called the way Copilot agent mode calls them (vscode.lm.invokeTool; no model is needed): the
// tools are listed, their JSON is what `lifeline … --json` prints for the same call, bad input is
// refused, and a fix opens its preview in the panel and changes nothing until the person presses
// Run there; undo asks in a quick pick. Chat's own confirmation is not tested here: VS Code
// auto-accepts it in extension-test mode, which is also why Lifeline never counts it as consent.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, closeAllEditors, lifeline, waitFor } from '../editor-helpers';
import { preparedInvocation } from '../../../src/editor/agents/register-lm-tools';
import { TOOL_NAMES } from '../../../src/tools/catalog';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const extensionPath = () => vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;

function pyStatus(id: string): string {
  const code = 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nprint(c.execute("SELECT status FROM workstream_status WHERE workstream_id = ?", (sys.argv[2],)).fetchone()[0])';
  return execFileSync('python3', ['-c', code, join(root(), '.state', 'orchestration.db'), id], { encoding: 'utf8' }).trim();
}

/** `lifeline ARGS --json` in the workspace, as a person or an agent would run it. */
function cli(args: string[], input?: string): unknown {
  const r = spawnSync(process.execPath, [join(extensionPath(), 'dist', 'cli.js'), args[0]!, '--json', ...args.slice(1)], { cwd: root(), encoding: 'utf8', ...(input !== undefined ? { input } : {}), env: { ...process.env, NO_COLOR: '1' } });
  assert.ok(r.stdout, `lifeline ${args.join(' ')} printed nothing: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function invoke(name: string, input: object, token = new vscode.CancellationTokenSource().token): Promise<unknown> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, token);
  const parts = result.content.filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart);
  assert.equal(parts.length, 1, `${name} answers with one text part`);
  return JSON.parse(parts[0]!.value);
}

suite('agents: Language Model Tools on a crashed orchestration', () => {
  teardown(closeAllEditors);

  test('vscode.lm.tools lists every Lifeline tool with the schema package.json declares', async () => {
    await lifeline();
    const declared = JSON.parse(readFileSync(join(extensionPath(), 'package.json'), 'utf8')).contributes.languageModelTools as { name: string; inputSchema: unknown }[];
    const ours = await waitFor('the tools to register', () => {
      const t = vscode.lm.tools.filter((x) => x.name.startsWith('lifeline_'));
      return t.length === TOOL_NAMES.length ? t : undefined;
    });
    assert.deepEqual(ours.map((t) => t.name).sort(), [...TOOL_NAMES].sort());
    for (const t of ours) {
      assert.ok(t.description.length > 20, `${t.name} has a description for the model`);
      assert.ok(t.tags.includes('lifeline'), `${t.name} is tagged`);
      assert.deepEqual(t.inputSchema, declared.find((d) => d.name === t.name)!.inputSchema, `${t.name}: schema`);
    }
  });

  test('classify, diagnose, journal, check-command and preview answer what the CLI prints with --json', async () => {
    await lifeline();
    const log = 'Traceback (most recent call last):\n  File "app/db.py", line 12, in save\nsqlite3.OperationalError: database is locked\n';
    assert.deepEqual(await invoke('lifeline_classify', { text: log }), cli(['classify', '-'], log));
    assert.equal((await invoke('lifeline_classify', { text: log }) as { scenario: string }).scenario, 'db-locked');
    assert.deepEqual(await invoke('lifeline_diagnose', {}), cli(['diagnose']));
    assert.deepEqual(await invoke('lifeline_journal', {}), cli(['journal']));
    const forbidden = 'rm -f .state/orchestration.db-wal';
    const verdict = await invoke('lifeline_check_command', { command: forbidden });
    assert.deepEqual(verdict, cli(['check-command', '--', forbidden]));
    assert.equal((verdict as { forbidden: boolean }).forbidden, true, 'deleting the WAL is forbidden by db-locked');
    const preview = (await invoke('lifeline_preview_fix', { action: 'workstream.mark-failed:ws-15' })) as { previewId: string; preview: { sql: { statement: string }[] } };
    const byCli = cli(['fix', 'workstream.mark-failed:ws-15', '--dry-run']) as typeof preview;
    assert.equal(preview.previewId, byCli.previewId, 'the same plan has the same previewId');
    assert.deepEqual(preview, byCli);
    assert.equal(pyStatus('ws-15'), 'running', 'a preview changes nothing');
  });

  test('bad input is refused with the field named, and a model cannot pass consent', async () => {
    await lifeline();
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool('lifeline_classify', { input: { wrong: 1 }, toolInvocationToken: undefined })), /invalid input for lifeline_classify: /);
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool('lifeline_fix', { input: { action: 'workstream.mark-failed:ws-15', confirm: true }, toolInvocationToken: undefined })), /invalid input for lifeline_fix/);
    assert.equal(pyStatus('ws-15'), 'running');
    assert.equal((await (await lifeline()).features()).panels.panels.length, 0, 'no panel opened for a refused call');
  });

  test("chat's confirmation is shown for fix and undo only, and says the panel decides", () => {
    const fix = preparedInvocation('lifeline_fix', { action: 'workstream.mark-failed:ws-15' });
    assert.ok(fix.confirmationMessages, 'fix asks chat to confirm');
    assert.match(String((fix.confirmationMessages.message as vscode.MarkdownString).value), /Nothing changes until you press Run there/);
    assert.ok(preparedInvocation('lifeline_undo', {}).confirmationMessages);
    for (const name of ['lifeline_classify', 'lifeline_diagnose', 'lifeline_preview_fix', 'lifeline_record_attempt'] as const) {
      assert.equal(preparedInvocation(name, {}).confirmationMessages, undefined, name);
    }
    // Hostile text in an argument is shown escaped, and cannot close the code span.
    const evil = preparedInvocation('lifeline_fix', { action: 'x`\u001b]52;c;AAAA\u0007' });
    const shownText = String((evil.confirmationMessages!.message as vscode.MarkdownString).value);
    for (const raw of ['\u001b', '\u0007', 'x`']) assert.ok(!shownText.includes(raw), `${JSON.stringify(raw)} reached chat: ${shownText}`);
  });

  test('a fix opens its preview in the panel, changes nothing until Run is pressed there, and undo asks before it restores', async () => {
    const api = await lifeline();
    const features = await api.features();
    const calling = invoke('lifeline_fix', { action: 'workstream.mark-failed:ws-15' });
    let answered = false;
    void calling.then(() => (answered = true), () => (answered = true));
    const panel = await waitFor('the fix-up preview in the panel', () =>
      features.panels.panels.find((p) => p.session.state.pending.kind === 'confirm' && p.session.state.pending.preview && p.session.state.trigger?.source === 'agent'),
    );
    const pending = panel.session.state.pending;
    assert.equal(pending.kind === 'confirm' && pending.target.action, 'workstream.mark-failed');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(answered, false, 'the tool waits for the person');
    assert.equal(pyStatus('ws-15'), 'running', 'nothing changes before Run');

    await panel.request({ type: 'confirm', requestId: 1, nodeId: panel.session.state.current, discard: false });
    const answer = (await calling) as { status: string; journalId?: string; exitCode: number };
    assert.equal(answer.status, 'applied', JSON.stringify(answer));
    assert.equal(answer.exitCode, 0);
    assert.ok(answer.journalId);
    assert.equal(pyStatus('ws-15'), 'failed');

    // Undo asks in a quick pick (its first item is "Undo ..."); accepting it restores the backup.
    const undoing = invoke('lifeline_undo', { entry: answer.journalId! });
    let settled = false;
    void undoing.then(() => (settled = true), () => (settled = true));
    const deadline = Date.now() + 15_000;
    while (!settled && Date.now() < deadline) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await new Promise((r) => setTimeout(r, 150));
    }
    const undone = (await undoing) as { entry: string; result: { ok: boolean } };
    assert.equal(undone.entry, answer.journalId);
    assert.equal(undone.result.ok, true);
    assert.equal(pyStatus('ws-15'), 'running', 'the backup was restored');
    assert.ok(panel.session.state.actions.find((a) => a.journalId === answer.journalId)?.undone, 'the panel shows it undone');
  });

  test('a fix the person declines, or whose panel is closed, changes nothing and says so', async () => {
    const api = await lifeline();
    const features = await api.features();
    const declining = invoke('lifeline_fix', { action: 'workstream.mark-failed:ws-15' });
    const panel = await waitFor('the preview', () => features.panels.panels.find((p) => p.session.state.pending.kind === 'confirm' && p.session.state.pending.preview));
    await panel.request({ type: 'decline', requestId: 1, nodeId: panel.session.state.current });
    assert.equal(((await declining) as { status: string }).status, 'declined');
    assert.equal(pyStatus('ws-15'), 'running');
    await closeAllEditors();

    const closing = invoke('lifeline_fix', { action: 'workstream.mark-failed:ws-15' });
    await waitFor('the preview', () => features.panels.panels.find((p) => p.session.state.pending.kind === 'confirm' && p.session.state.pending.preview));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(((await closing) as { status: string }).status, 'closed');
    assert.equal(pyStatus('ws-15'), 'running');
  });

  test('a fix for something Lifeline does not offer, or whose plan changed since the preview, opens nothing', async () => {
    const api = await lifeline();
    const features = await api.features();
    const stale = (await invoke('lifeline_fix', { action: 'workstream.mark-failed:ws-15', previewId: '0123456789abcdef' })) as { status: string; message: string };
    assert.equal(stale.status, 'refused');
    assert.match(stale.message, /plan changed since preview 0123456789abcdef/);
    const unknown = (await invoke('lifeline_fix', { action: 'workstream.mark-failed:ws-99' })) as { error?: string; status?: string };
    assert.ok(unknown.error ?? unknown.status === 'refused', JSON.stringify(unknown));
    assert.equal(features.panels.panels.length, 0);
    assert.equal(pyStatus('ws-15'), 'running');
  });
});
