// The status-bar entry: always a way into "Recover from Failure", and a count of the failures
// noticed in this window that are still open.
import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import type { Detections } from './detections';

export function registerStatusBar(context: vscode.ExtensionContext, detections: Detections): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('lifeline.status', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Lifeline');
  item.command = COMMANDS.recover;
  const update = () => {
    const n = detections.openCount;
    item.text = n > 0 ? `$(warning) ${vscode.l10n.t('Lifeline: {0}', n)}` : '$(pulse) Lifeline';
    item.tooltip = n > 0 ? vscode.l10n.t('{0} failure(s) noticed — Recover from Failure', n) : vscode.l10n.t('Lifeline: Recover from Failure');
    item.accessibilityInformation = { label: n > 0 ? vscode.l10n.t('Lifeline, {0} open failures. Recover from failure.', n) : vscode.l10n.t('Lifeline. Recover from failure.') };
    item.backgroundColor = n > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  };
  update();
  item.show();
  context.subscriptions.push(item, detections.onDidChange(update));
  return item;
}
