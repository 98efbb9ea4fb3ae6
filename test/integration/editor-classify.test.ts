// "Classify Selection" and "Classify Clipboard" in the real extension host: a recognised failure
// opens its guide straight away (one confident match, no quick pick) with the text as evidence;
// text Lifeline does not recognise opens nothing, and says so.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, lifeline, waitFor } from './editor-helpers';
import { delay, readChannelLog, within } from './support';
import type { RecoveryPanel } from '../../src/editor/webview/recovery-panel';

const LOCKED = 'sqlite3.OperationalError: database is locked (it-classify)';
const NO_MODULE = "ModuleNotFoundError: No module named 'it_classify_mod'";
/** Words no playbook's symptoms name. */
const GARBAGE = 'purple giraffe marmalade\nkettle banana 7 umbrella quilt\nzebra orchard lantern';

/** Writes `lines` to a file in the workspace (a saved file: closing it asks nothing) and shows it. */
async function showOutput(name: string, lines: string[]): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'it-output', name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(lines.join('\n') + '\n'));
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
}

function selectLine(editor: vscode.TextEditor, line: number): void {
  editor.selection = new vscode.Selection(line, 0, line, editor.document.lineAt(line).text.length);
}

async function guideFor(playbookId: string, source: 'selection' | 'clipboard', evidence: RegExp): Promise<RecoveryPanel> {
  const features = await (await lifeline()).features();
  return waitFor(`the ${playbookId} guide opened from the ${source}`, () =>
    features.panels.panels.find((p) => p.playbook.id === playbookId && p.session.state.trigger?.source === source && evidence.test(p.session.state.trigger.evidence[0]?.text ?? '')),
  );
}

/**
 * Runs a classify command on text no playbook matches. The command then waits on an information
 * message ("does not recognise… Pick a guide…") that this host cannot answer: once the log says
 * so, the notifications are cleared, which dismisses it without choosing.
 */
async function classifyUnrecognised(command: string, from: 'selection' | 'clipboard', said = new RegExp(`classify ${from}: no known failure recognised`)): Promise<string> {
  const before = readChannelLog();
  const running = vscode.commands.executeCommand(command);
  let settled = false;
  void Promise.resolve(running).then(
    () => (settled = true),
    () => (settled = true),
  );
  const added = await waitFor('the log to say the text is not recognised', () => {
    const text = readChannelLog().slice(before.length);
    return said.test(text) ? text : undefined;
  });
  const deadline = Date.now() + 10_000;
  while (!settled && Date.now() < deadline) {
    await vscode.commands.executeCommand('notifications.clearAll');
    await delay(150);
  }
  await within(`${command} after its message was dismissed`, running, 5_000);
  return added;
}

suite('editor: classify selection and clipboard', () => {
  setup(async () => {
    await closeAllEditors();
    const features = await (await lifeline()).features();
    await waitFor('earlier guides to close', () => features.panels.panels.length === 0);
  });
  teardown(closeAllEditors);

  test('Classify Selection opens the guide of the failure in the selection, with that line as evidence', async () => {
    const api = await lifeline();
    const features = await api.features();
    // Two failures in one file: the guide must follow the selected line, not the whole text.
    const lines = ['$ python orchestrate.py', NO_MODULE, LOCKED, 'exit 1'];
    let editor = await showOutput('classify-selection.log', lines);
    selectLine(editor, 2);
    const before = readChannelLog();
    await vscode.commands.executeCommand('lifeline.classifySelection');
    const locked = await guideFor('db-locked', 'selection', /it-classify/);
    assert.equal(locked.session.state.trigger?.evidence[0]?.text, LOCKED);
    const d = api.detections.list().find((x) => x.fingerprint === locked.session.state.trigger?.fingerprint);
    assert.ok(d, 'the classified failure is recorded among the detections');
    assert.equal(d.scenario, 'db-locked');
    assert.equal(d.source, 'selection');
    assert.equal(d.title, 'Database is locked');
    assert.match(await waitFor('the log line', () => /classify selection: db-locked \(confidence [\d.]+\)/.exec(readChannelLog().slice(before.length))?.[0]), /db-locked/);

    // The other line, selected, opens the other guide (the panel took focus: show the file again).
    editor = await vscode.window.showTextDocument(editor.document);
    selectLine(editor, 1);
    await vscode.commands.executeCommand('lifeline.classifySelection');
    const imports = await guideFor('import-error', 'selection', /it_classify_mod/);
    assert.match(imports.session.state.trigger?.evidence[0]?.text ?? '', /No module named 'it_classify_mod'/);
    assert.equal(features.panels.panels.filter((p) => p.session.state.trigger?.source === 'selection').length, 2);
  });

  test('Classify Clipboard opens the guide of the failure on the clipboard', async () => {
    const api = await lifeline();
    await vscode.env.clipboard.writeText(['Traceback (most recent call last):', '  File "orchestrate.py", line 12, in <module>', LOCKED.replace('it-classify', 'it-clipboard')].join('\n'));
    await vscode.commands.executeCommand('lifeline.classifyClipboard');
    const panel = await guideFor('db-locked', 'clipboard', /it-clipboard/);
    assert.equal(panel.session.state.trigger?.evidence[0]?.text, 'sqlite3.OperationalError: database is locked (it-clipboard)');
    const d = api.detections.list()[0];
    assert.equal(d?.source, 'clipboard', 'the newest detection is the one just classified');
    assert.equal(d?.scenario, 'db-locked');
    assert.equal(d?.fingerprint, panel.session.state.trigger?.fingerprint);
  });

  test('text Lifeline does not recognise opens no guide, records nothing, and says so', async () => {
    const api = await lifeline();
    const features = await api.features();
    const panels = features.panels.panels.length;
    const detections = api.detections.list().length;

    await vscode.env.clipboard.writeText(GARBAGE);
    const fromClipboard = await classifyUnrecognised('lifeline.classifyClipboard', 'clipboard');
    assert.doesNotMatch(fromClipboard, /classify clipboard: [\w-]+ \(confidence/);

    const editor = await showOutput('classify-garbage.log', GARBAGE.split('\n'));
    editor.selection = new vscode.Selection(0, 0, 2, editor.document.lineAt(2).text.length);
    const fromSelection = await classifyUnrecognised('lifeline.classifySelection', 'selection');
    assert.doesNotMatch(fromSelection, /classify selection: [\w-]+ \(confidence/);

    assert.equal(features.panels.panels.length, panels, 'no guide opened');
    assert.equal(api.detections.list().length, detections, 'nothing recorded as a failure');
  });

  test('a selection that clearly failed but matches no playbook says so with the failure type, is noted, and offers the triage guide', async () => {
    const api = await lifeline();
    const features = await api.features();
    const panels = features.panels.panels.length;
    const editor = await showOutput('classify-unrecognised.log', ['$ bundle exec rspec', 'running 3 specs', 'FAIL spec/frobnicator_spec.rb (it-unrecognised)', 'done']);
    editor.selection = new vscode.Selection(0, 0, 3, 4);
    const said = await classifyUnrecognised('lifeline.classifySelection', 'selection', /classify selection: failed \(test_failure\), no playbook matched; offered: .*/);
    assert.match(
      said,
      /classify selection: failed \(test_failure\), no playbook matched; offered: This text shows a failure \(test failure\) that no playbook recognises: FAIL spec\/frobnicator_spec\.rb \(it-unrecognised\) \[Open Triage Guide\] \[Pick a guide…\]/,
    );
    const d = api.detections.list()[0];
    assert.equal(d?.scenario, 'triage', 'noted among the noticed failures, as the triage guide');
    assert.equal(d?.title, 'Unrecognised test failure');
    assert.equal(d?.failureType, 'test_failure');
    assert.equal(d?.source, 'selection');
    assert.equal(d?.evidence[0]?.text, 'FAIL spec/frobnicator_spec.rb (it-unrecognised)');
    assert.equal(features.panels.panels.length, panels, 'the guide waits for the answer');
  });
});
