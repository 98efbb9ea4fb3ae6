// The Stuck Workstreams view in the real extension host: registered in Lifeline's container,
// welcome state without a database, and a refresh driven by the file watchers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lifeline, waitFor } from './editor-helpers';

suite('editor: stuck workstreams view', () => {
  test('without an orchestration database the view is empty (welcome); creating one refreshes it by itself', async () => {
    const api = await lifeline();
    const root = vscode.workspace.workspaceFolders![0]!.uri;
    const db = vscode.Uri.joinPath(root, '.state', 'orchestration.db');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, '.state'), { recursive: true }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.view.extension.lifeline');
    api.workstreams.refresh();
    const first = await waitFor('a diagnosis', async () => {
      const children = await api.workstreams.getChildren();
      return api.workstreams.lastDiagnosis ? { children, d: api.workstreams.lastDiagnosis } : undefined;
    });
    assert.equal(first.d.hasDatabase, false);
    assert.deepEqual(first.children, []);

    const seen = new Promise<boolean>((resolve) => {
      const sub = api.workstreams.onDidLoad((d) => {
        if (d.hasDatabase) {
          sub.dispose();
          resolve(true);
        }
      });
    });
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(root, '.state'));
    await vscode.workspace.fs.writeFile(db, new Uint8Array(0));
    // No explicit refresh: the watcher on the database path must notice.
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000));
    assert.equal(await Promise.race([seen, timeout]), true, 'the view did not refresh after the database appeared');
    // The view asked for children again and got the new diagnosis.
    await api.workstreams.getChildren();
    assert.equal(api.workstreams.lastDiagnosis?.hasDatabase, true);
  });
});
