// Entry point: wires the editor features to the core. Nothing here but registration; the heavy
// parts (playbooks, classifier, panels, fix-up engine) load at first use.
import type * as vscode from 'vscode';
import { lazyLogChannel } from './editor/log-channel';
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
import { TestProblems } from './editor/testing/test-problems';
import type { Features } from './editor/features';
import { registerAuthoring } from './editor/authoring/register-authoring';
import { registerLmTools } from './editor/agents/register-lm-tools';

/** What tests reach through `extension.exports`. */
export interface LifelineApi {
  features(): Promise<Features>;
  detections: Detections;
  testProblems: TestProblems;
  /** Resolves once the view, the watchers and the task provider are registered. */
  ready: Promise<void>;
  /** The Stuck Workstreams view's data; there once `ready` has resolved. */
  readonly workstreams: WorkstreamsProvider;
  /** The status-bar entry (its text counts the open failures); there once `ready` has resolved. */
  readonly statusBar: vscode.StatusBarItem;
}

export function activate(context: vscode.ExtensionContext): LifelineApi {
  const log = lazyLogChannel(context, 'Lifeline');
  const settings = new Settings();
  const detections = new Detections();
  const testProblems = new TestProblems();
  context.subscriptions.push(settings, detections, testProblems);
  const features = lazyFeatures({ context, log, settings, detections, testProblems });

  registerCommands(context, features, log);
  registerPanelSerializer(context, features);
  // The rest is registered one turn later, so activation itself returns at once (VS Code counts
  // its time against startup); nothing below can be needed before then.
  let workstreams: WorkstreamsProvider | undefined;
  let statusBar: vscode.StatusBarItem | undefined;
  const ready = new Promise<void>((resolve) =>
    setImmediate(() => {
      workstreams = registerWorkstreamsView(context, features, settings, log);
      statusBar = registerStatusBar(context, detections, workstreams);
      registerTestReports(context, testProblems, features, settings, log);
      registerTerminalWatch(context, features, settings, log);
      registerLifelineTask(context, features, log);
      registerAuthoring(context, features, settings, log);
      registerLmTools(context, features, log);
      resolve();
    }),
  );
  return {
    features,
    detections,
    testProblems,
    ready,
    get workstreams() {
      if (!workstreams) throw new Error('Lifeline is still starting: await api.ready');
      return workstreams;
    },
    get statusBar() {
      if (!statusBar) throw new Error('Lifeline is still starting: await api.ready');
      return statusBar;
    },
  };
}

export function deactivate(): void {
  // Every registration is owned by context.subscriptions.
}
