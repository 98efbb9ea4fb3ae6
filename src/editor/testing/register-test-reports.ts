// Test reports on disk: watches the configured JUnit globs (debounced per file), reads the
// recent ones once after startup, and owns the Problems entries and quick fixes (TestProblems,
// light). Parsing loads with the features at the first report.
import * as vscode from 'vscode';
import type { LoadFeatures } from '../register-commands';
import type { Settings } from '../settings';
import type { TestProblems } from './test-problems';

const RECENT_MS = 24 * 60 * 60 * 1000;

export function registerTestReports(context: vscode.ExtensionContext, problems: TestProblems, features: LoadFeatures, settings: Settings, log: vscode.LogOutputChannel): void {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const ingest = (uri: vscode.Uri) => {
    const key = uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void features()
          .then((f) => f.testResults.ingestReport(uri))
          .catch((e: unknown) => log.error(`test report ${key}: ${String(e)}`));
      }, 300),
    );
  };
  context.subscriptions.push({ dispose: () => timers.forEach((t) => clearTimeout(t)) });

  let watchers: vscode.Disposable[] = [];
  const rewatch = () => {
    watchers.forEach((w) => w.dispose());
    watchers = [];
    const { enabled, globs } = settings.current.testReports;
    if (!enabled) return;
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const glob of globs) {
        const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
        w.onDidCreate(ingest);
        w.onDidChange(ingest);
        watchers.push(w);
      }
    }
  };
  rewatch();
  context.subscriptions.push({ dispose: () => watchers.forEach((w) => w.dispose()) });
  context.subscriptions.push(
    settings.onDidChange((e) => {
      if (e.affects('testReports')) rewatch();
    }),
  );

  // Reports written before the window opened: read the recent ones, off the startup path.
  const startup = setTimeout(() => {
    const { enabled, globs } = settings.current.testReports;
    if (!enabled || !globs.length) return;
    void (async () => {
      const found = await vscode.workspace.findFiles(`{${globs.join(',')}}`, '**/node_modules/**', 50);
      for (const uri of found) {
        const stat = await vscode.workspace.fs.stat(uri).then(undefined, () => undefined);
        if (stat && Date.now() - stat.mtime < RECENT_MS) ingest(uri);
      }
    })().catch((e: unknown) => log.warn(`looking for test reports: ${String(e)}`));
  }, 3_000);
  context.subscriptions.push({ dispose: () => clearTimeout(startup) });
}
