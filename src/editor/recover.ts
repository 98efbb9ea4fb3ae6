// "Lifeline: Recover from Failure": pick a built-in playbook. The full flow (detected
// failures first, then the decision tree) arrives with the editor-experience work.
import * as vscode from 'vscode';
import { loadPlaybookDir } from '../core/playbooks/loader';

export async function recover(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  const dir = vscode.Uri.joinPath(context.extensionUri, 'playbooks').fsPath;
  const { playbooks, errors } = await loadPlaybookDir(dir);
  for (const e of errors) log.warn(`${e.file}:${e.line}: ${e.message}`);
  const pick = await vscode.window.showQuickPick(
    playbooks.map((p) => ({ label: p.title, description: p.id, detail: p.summary })),
    { placeHolder: vscode.l10n.t('Which failure are you recovering from?'), matchOnDescription: true },
  );
  if (pick) log.info(`recover: chose ${pick.description}`);
}
