// Entry point: wires the editor features to the core. Nothing here but registration; the heavy
// parts (playbooks, classifier, panels, fix-up engine) load at first use.
import * as vscode from 'vscode';
import { Settings } from './editor/settings';
import { Detections } from './editor/detections';
import { lazyFeatures } from './editor/lazy-features';
import { registerCommands } from './editor/register-commands';
import { registerStatusBar } from './editor/status-bar';
import { registerPanelSerializer } from './editor/webview/register-serializer';
import { registerWorkstreamsView } from './editor/tree/register-workstreams';
import type { WorkstreamsProvider } from './editor/tree/workstreams-provider';
import { registerTerminalWatch } from './editor/terminal/register-terminal-watch';
import { registerLifelineTask } from './editor/tasks/register-lifeline-task';
import { registerTestReports } from './editor/testing/register-test-reports';
import type { TestProblems } from './editor/testing/test-problems';
import type { Features } from './editor/features';

/** What tests reach through `extension.exports`. */
export interface LifelineApi {
  features(): Promise<Features>;
  detections: Detections;
  workstreams: WorkstreamsProvider;
  testProblems: TestProblems;
}

export function activate(context: vscode.ExtensionContext): LifelineApi {
  const log = vscode.window.createOutputChannel('Lifeline', { log: true });
  const settings = new Settings();
  const detections = new Detections();
  context.subscriptions.push(log, settings, detections);
  const testProblems = registerTestReports(context, () => features(), settings, log);
  const features = lazyFeatures({ context, log, settings, detections, testProblems });

  registerCommands(context, features, log);
  registerStatusBar(context, detections);
  registerPanelSerializer(context, features);
  const workstreams = registerWorkstreamsView(context, features, settings, log);
  registerTerminalWatch(context, features, settings, log);
  registerLifelineTask(context, features, log);
  return { features, detections, workstreams, testProblems };
}

export function deactivate(): void {
  // Every registration is owned by context.subscriptions.
}
