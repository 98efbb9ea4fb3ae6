// The demo's crashed orchestration opened in Restricted Mode (trust enforced and never granted):
// an agent's Language Model Tools still diagnose and preview, but fix, undo and recorded attempts
// are refused inside the tool, since VS Code runs a tool whatever its `when` clause says, and
// not one byte of the repository or the database changes.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { lifeline, waitFor } from '../editor-helpers';

const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

/** Every file under the workspace (git's index aside, which VS Code's own Git may refresh) with its hash. */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true }).map(String)) {
    const abs = join(dir, f);
    if (/(^|[\\/])\.git[\\/](index|.*\.lock$|FETCH_HEAD)/.test(f) || !statSync(abs).isFile()) continue;
    out[relative(dir, abs)] = createHash('sha256').update(readFileSync(abs)).digest('hex');
  }
  return out;
}

async function invoke(name: string, input: object): Promise<unknown> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  return JSON.parse((result.content[0] as vscode.LanguageModelTextPart).value);
}

suite('restricted: agent tools in an untrusted workspace', () => {
  test('fix, undo and record-attempt are refused and change nothing; diagnose and preview still answer', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this host run opens the folder in Restricted Mode');
    const api = await lifeline();
    const before = hashTree(root());
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
    assert.deepEqual(hashTree(root()), before, 'no file changed');
  });
});
