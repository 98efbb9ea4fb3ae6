// Which files are playbooks: YAML, JSON and Markdown files in the workspace's playbook folder,
// and any YAML file that declares itself one (`lifeline: 1` on a line of its own).
import type * as vscode from 'vscode';
import { relative, isAbsolute } from 'node:path';

/** The file types a playbook folder may hold. */
export const PLAYBOOK_GLOB = '*.{yaml,yml,json,md,markdown}';

export function isInFolder(uri: vscode.Uri, folder: vscode.Uri): boolean {
  if (uri.scheme !== folder.scheme) return false;
  const rel = relative(folder.fsPath, uri.fsPath);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !/[\\/]/.test(rel);
}

export function isPlaybookDocument(doc: vscode.TextDocument, folder: vscode.Uri | undefined): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') return false;
  const name = doc.uri.path.split('/').pop() ?? '';
  if (folder && isInFolder(doc.uri, folder)) return /\.(ya?ml|json|md|markdown)$/i.test(name) && !/\.schema\.json$/i.test(name) && !/^readme\./i.test(name);
  return (doc.languageId === 'yaml' || /\.ya?ml$/i.test(name)) && /^lifeline:\s*1\s*$/m.test(doc.getText().slice(0, 4096));
}
