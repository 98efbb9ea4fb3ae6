// The Stuck Workstreams view: registered at activation with its commands, file watchers on the
// orchestration database and the worktrees (debounced refresh), the context key that switches
// the welcome view, and a slow timer so ages stay current while it is visible.
import { basename, dirname, resolve } from 'node:path';
import * as vscode from 'vscode';
import { shown } from '../../core/text/shown';
import { COMMANDS, CONTEXT_KEYS, TREE_ACTION_COMMANDS, VIEWS } from '../commands';
import type { LoadFeatures } from '../register-commands';
import type { Settings } from '../settings';
import { WorkstreamsProvider } from './workstreams-provider';
import type { WorkstreamNode } from './workstreams-provider';
import type { Row } from './workstream-groups';
import { workspaceRoot } from '../workspace-root';
import { workspaceConfig } from '../workspace-config';
import type { ActionRef } from '../../core/fixups/types';
import { effectHint } from '../effect-text';
import { actionOf } from '../../core/fixups/action-name';

export function registerWorkstreamsView(context: vscode.ExtensionContext, features: LoadFeatures, settings: Settings, log: vscode.LogOutputChannel): WorkstreamsProvider {
  const provider = new WorkstreamsProvider(async (signal) => (await (await features()).fixups()).diagnose(signal), log);
  const view = vscode.window.createTreeView(VIEWS.workstreams, { treeDataProvider: provider, showCollapseAll: false });
  context.subscriptions.push(provider, view);

  context.subscriptions.push(
    provider.onDidLoad((d) => {
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.hasDatabase, d.hasDatabase);
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.folderKind, d.folder ?? 'repository');
      const total = d.findings.length;
      view.badge = total ? { value: total, tooltip: workstreamProblems(total) } : undefined;
      view.message = d.error ? vscode.l10n.t('Could not read the workspace: {0}', shown(d.error)) : undefined;
    }),
  );

  // Watch what the diagnosis reads; any change schedules one debounced refresh. The conventions
  // say where to look, so a change to .lifeline.json re-creates the watchers too. A worktree's
  // own files are not watched (too many); while the view is visible it refreshes every minute.
  let watchers: vscode.Disposable[] = [];
  let generation = 0;
  let disposed = false;
  const rewatch = async () => {
    const mine = ++generation;
    const root = workspaceRoot();
    const config = root ? await workspaceConfig(root, settings, log) : undefined;
    if (mine !== generation || disposed) return; // a newer rewatch is under way, or Lifeline stopped
    watchers.forEach((w) => w.dispose());
    watchers = [];
    if (!root || !config) return;
    // Resolved as the core resolves them (relative to the root, or absolute inside it).
    const at = (path: string, glob: string) => {
      const abs = resolve(root.fsPath, path);
      return new vscode.RelativePattern(vscode.Uri.file(dirname(abs)), `${basename(abs)}${glob}`);
    };
    // The journal changes with every fix-up and undo, whoever ran it: that also covers an agent
    // tool's state outside the workspace (vibe-kanban's database, claude-squad's state.json).
    const patterns = [at(config.database, '*'), at(config.worktreesDir, '/*'), at(config.journalDir, '/*'), new vscode.RelativePattern(root, '.git/worktrees/**'), new vscode.RelativePattern(root, config.specsGlob)];
    for (const pattern of patterns) {
      const w = vscode.workspace.createFileSystemWatcher(pattern);
      w.onDidChange(() => provider.scheduleRefresh());
      w.onDidCreate(() => provider.scheduleRefresh());
      w.onDidDelete(() => provider.scheduleRefresh());
      watchers.push(w);
    }
    const conventions = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '.lifeline.json'));
    const reconfigure = () => {
      void rewatch();
      provider.scheduleRefresh();
    };
    conventions.onDidChange(reconfigure);
    conventions.onDidCreate(reconfigure);
    conventions.onDidDelete(reconfigure);
    watchers.push(conventions);
  };
  void rewatch();
  context.subscriptions.push({
    dispose: () => {
      disposed = true;
      watchers.forEach((w) => w.dispose());
    },
  });
  context.subscriptions.push(
    settings.onDidChange((e) => {
      if (!e.affects('orchestration')) return;
      void rewatch();
      provider.refresh();
    }),
  );

  const timer = setInterval(() => {
    if (view.visible) provider.refresh();
  }, 60_000);
  context.subscriptions.push({ dispose: () => clearInterval(timer) });

  const register = (id: string, run: (...args: unknown[]) => Promise<unknown> | unknown) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await run(...args);
        } catch (e) {
          log.error(`${id}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          void vscode.window.showErrorMessage(vscode.l10n.t('Lifeline: {0}', shown(e instanceof Error ? e.message : String(e))));
          return undefined;
        }
      }),
    );

  register(COMMANDS.treeRefresh, () => provider.refresh());
  register(COMMANDS.treeOpenGuide, async (node) => {
    const row = rowOf(node, view);
    if (!row) return;
    const f = row.finding;
    await (await features()).panels.openGuide(f.scenario, {
      subject: f.subject,
      trigger: { source: 'tree', at: new Date().toISOString(), evidence: [{ text: f.detail, source: 'diagnosis' }], fingerprint: f.id },
    });
  });
  register(COMMANDS.treeFix, async (node) => {
    const row = rowOf(node, view);
    if (!row) return;
    const actions = row.finding.actions;
    if (!actions.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Lifeline has no fix-up for this item; open its guide instead.'));
      return;
    }
    const pick = await vscode.window.showQuickPick(
      actions.map((a) => ({ label: shown(a.title), description: effectHint(a.effect, vscode.l10n.t), action: a })),
      { title: vscode.l10n.t('Fix {0}', shown(row.finding.subject)), placeHolder: vscode.l10n.t('Pick a fix-up; you will see exactly what it does before it runs') },
    );
    if (pick) await openFixup(row, pick.action);
  });
  for (const [action, command] of Object.entries(TREE_ACTION_COMMANDS)) {
    register(command, async (node) => {
      const row = rowOf(node, view);
      if (!row) return;
      const ref = row.finding.actions.find((a) => actionOf(a.id) === action);
      if (!ref) {
        void vscode.window.showInformationMessage(vscode.l10n.t('That fix-up is not offered for {0}.', shown(row.finding.subject)));
        return;
      }
      await openFixup(row, ref);
    });
  }

  async function openFixup(row: Row, action: ActionRef): Promise<void> {
    const f = row.finding;
    await (await features()).panels.openFixup(
      { finding: f, action, message: vscode.l10n.t('Marked from the Lifeline view: {0}', f.detail) },
      { trigger: { source: 'tree', at: new Date().toISOString(), evidence: [{ text: f.detail, source: 'diagnosis' }], fingerprint: `${f.id}|${action.id}` } },
    );
  }

  return provider;
}

/** The row a command was invoked on: its argument, else the view's selection. */
function rowOf(node: unknown, view: vscode.TreeView<WorkstreamNode>): Row | undefined {
  const n = (isNode(node) ? node : view.selection[0]) as WorkstreamNode | undefined;
  return n?.type === 'row' ? n.row : undefined;
}

function isNode(x: unknown): x is WorkstreamNode {
  return typeof x === 'object' && x !== null && ['row', 'group', 'tool'].includes(String((x as { type?: unknown }).type));
}

/** "1 workstream problem" / "6 workstream problems": the badge's name for what it counts (also in the status bar's tooltip). */
export function workstreamProblems(n: number): string {
  return n === 1 ? vscode.l10n.t('1 workstream problem') : vscode.l10n.t('{0} workstream problems', n);
}
