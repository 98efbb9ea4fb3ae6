// The status-bar entry: always a way into "Recover from Failure", and a count of the failures
// noticed in this window that are still open. It names what it counts ("2 failures"); the Stuck
// Workstreams view's badge counts something else (workstream problems), so the tooltip names both.
import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import type { Detections } from './detections';
import type { Diagnosis } from '../core/engine/workspace-fixups';
import { workstreamProblems } from './tree/register-workstreams';

export function registerStatusBar(context: vscode.ExtensionContext, detections: Detections, workstreams?: { onDidLoad: vscode.Event<Diagnosis> }): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('lifeline.status', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Lifeline');
  item.command = COMMANDS.recover;
  let problems = 0;
  const update = () => {
    const n = detections.openCount;
    const failures = n === 1 ? vscode.l10n.t('1 failure') : vscode.l10n.t('{0} failures', n);
    item.text = n > 0 ? `$(warning) ${vscode.l10n.t('Lifeline: {0}', failures)}` : '$(pulse) Lifeline';
    const noticed = n === 1 ? vscode.l10n.t('1 failure noticed in this window — Recover from Failure') : vscode.l10n.t('{0} failures noticed in this window — Recover from Failure', n);
    const lines = [n > 0 ? noticed : vscode.l10n.t('Lifeline: Recover from Failure')];
    if (problems > 0) lines.push(vscode.l10n.t('{0} in the Stuck Workstreams view', workstreamProblems(problems)));
    item.tooltip = lines.join('\n');
    item.accessibilityInformation = { label: n > 0 ? (n === 1 ? vscode.l10n.t('Lifeline, 1 open failure. Recover from failure.') : vscode.l10n.t('Lifeline, {0} open failures. Recover from failure.', n)) : vscode.l10n.t('Lifeline. Recover from failure.') };
    item.backgroundColor = n > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  };
  update();
  item.show();
  context.subscriptions.push(item, detections.onDidChange(update));
  if (workstreams) {
    context.subscriptions.push(
      workstreams.onDidLoad((d) => {
        problems = d.findings.length;
        update();
      }),
    );
  }
  return item;
}
