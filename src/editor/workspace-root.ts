// Which folder Lifeline works on: the first workspace folder (the repository's main worktree).
import * as vscode from 'vscode';

export function workspaceRoot(): vscode.Uri | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}
