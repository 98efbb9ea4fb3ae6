// Activation-time wiring for playbook authoring, kept light: the heavy half (catalog, problems)
// loads only when the workspace has a playbook folder, when one appears, or when a playbook file
// is opened. From then on `Authoring` and the catalog keep Problems and the guides current.
import * as vscode from 'vscode';
import type { Settings } from '../settings';
import type { LoadFeatures } from '../register-commands';
import { workspaceRoot } from '../workspace-root';
import { PLAYBOOK_GLOB, isPlaybookDocument } from './playbook-files';
import { CONTEXT_KEYS } from '../commands';

export function registerAuthoring(context: vscode.ExtensionContext, features: LoadFeatures, settings: Settings, log: vscode.LogOutputChannel): void {
  let started = false;
  const start = (why: string): void => {
    if (started) return;
    started = true;
    void features()
      .then((f) => f.catalog.all())
      .then(
        () => log.info(`playbook authoring ready (${why})`),
        (e: unknown) => log.error(`playbook authoring: ${e instanceof Error ? e.message : String(e)}`),
      );
  };
  const folder = (): vscode.Uri | undefined => {
    const root = workspaceRoot();
    return root ? vscode.Uri.joinPath(root, settings.current.playbooksFolder) : undefined;
  };
  const opened = (doc: vscode.TextDocument): void => {
    if (isPlaybookDocument(doc, folder())) start(`${vscode.workspace.asRelativePath(doc.uri)} opened`);
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(opened));
  vscode.workspace.textDocuments.forEach(opened);
  // Preview Guide's editor-title button follows the configured folder, which a `when` clause cannot read.
  const active = (editor: vscode.TextEditor | undefined): void => {
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.editorIsPlaybook, editor ? isPlaybookDocument(editor.document, folder()) : false);
  };
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(active), settings.onDidChange(() => active(vscode.window.activeTextEditor)));
  active(vscode.window.activeTextEditor);

  const root = workspaceRoot();
  if (!root) return;
  // A folder that exists: its playbooks are read now, so one that fails to load shows in Problems.
  const f = folder()!;
  void vscode.workspace.fs.stat(f).then(
    () => start('the playbook folder exists'),
    () => undefined,
  );
  // One that appears later (created, copied in, checked out) is read when it does.
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, `${settings.current.playbooksFolder}/${PLAYBOOK_GLOB}`), false, true, true);
  context.subscriptions.push(watcher, watcher.onDidCreate((uri) => start(`${vscode.workspace.asRelativePath(uri)} created`)));
}
