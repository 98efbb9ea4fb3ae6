// The demo's crashed orchestration opened in Restricted Mode (trust enforced and never granted):
// an agent's Language Model Tools still diagnose and preview, but fix, undo and recorded attempts
// are refused inside the tool, since VS Code runs a tool whatever its `when` clause says, and
// not one byte of the repository or the database changes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lifeline, waitFor, workspaceDigest } from '../editor-helpers';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

async function invoke(name: string, input: object): Promise<unknown> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  return JSON.parse((result.content[0] as vscode.LanguageModelTextPart).value);
}

suite('restricted: agent tools in an untrusted workspace', () => {
  test('fix, undo and record-attempt are refused and change nothing; diagnose and preview still answer', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this host run opens the folder in Restricted Mode');
    const api = await lifeline();
    const before = workspaceDigest(root());
    // The changing tools are hidden from agents here (`when: isWorkspaceTrusted`) ...
    const listed = await waitFor('the tools', () => {
      const names = vscode.lm.tools.filter((t) => t.name.startsWith('lifeline_')).map((t) => t.name);
      return names.includes('lifeline_diagnose') ? names : undefined;
    });
    assert.ok(!listed.includes('lifeline_fix') && !listed.includes('lifeline_undo'), `listed: ${listed.join(', ')}`);
    // ... and refused when called anyway.
    for (const [name, input] of [
      ['lifeline_fix', { action: 'workstream.mark-failed:ws-15' }],
      ['lifeline_undo', {}],
      ['lifeline_record_attempt', { text: 'sqlite3.OperationalError: database is locked' }],
    ] as const) {
      await assert.rejects(Promise.resolve(vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined })), /not trusted/, name);
    }
    const diagnosis = (await invoke('lifeline_diagnose', {})) as { findings: { subject: string }[] };
    assert.ok(diagnosis.findings.some((f) => f.subject === 'ws-15'), 'diagnosis still works');
    const preview = (await invoke('lifeline_preview_fix', { action: 'workstream.mark-failed:ws-15' })) as { previewId?: string };
    assert.match(preview.previewId ?? '', /^[0-9a-f]{16}$/);
    assert.equal((await api.features()).panels.panels.length, 0, 'no panel was opened');
    assert.deepEqual(workspaceDigest(root()), before, 'no file changed');
  });
});
