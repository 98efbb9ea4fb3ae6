// Registers the palette commands at activation. Each handler loads the heavy features at its
// first call; failures are logged with context and shown as one short message.
import * as vscode from 'vscode';
import { shown } from '../core/text/shown';
import { COMMANDS } from './commands';
import type { Features } from './features';

export type LoadFeatures = () => Promise<Features>;

export function registerCommands(context: vscode.ExtensionContext, features: LoadFeatures, log: vscode.LogOutputChannel): void {
  const guarded =
    (name: string, run: (f: Features, ...args: unknown[]) => Promise<unknown> | unknown) =>
    async (...args: unknown[]) => {
      try {
        return await run(await features(), ...args);
      } catch (e) {
        log.error(`${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Lifeline: {0}', shown(e instanceof Error ? e.message : String(e))));
        return undefined;
      }
    };
  const register = (id: string, run: (f: Features, ...args: unknown[]) => Promise<unknown> | unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, guarded(id, run)));

  register(COMMANDS.recover, (f) => f.recover());
  register(COMMANDS.classifySelection, (f) => f.classify('selection'));
  register(COMMANDS.classifyClipboard, (f) => f.classify('clipboard'));
  register(COMMANDS.openGuide, (f, id, args) => f.openGuide(id, args));
  register(COMMANDS.showLog, () => log.show());
  register(COMMANDS.findBreakingMerge, (f, arg) => f.findBreakingMerge(arg));
  register(COMMANDS.connectAgent, (f) => f.connectAgent.run());
  register(COMMANDS.resetDismissed, (f) => f.notifier.resetMuted());
  register(COMMANDS.undoFixup, (f) => f.undoFromJournal());
  register(COMMANDS.preflight, (f) => f.preflight());
  register(COMMANDS.newPlaybook, (f) => f.authoring.newPlaybook());
  register(COMMANDS.importRunbook, (f, uri) => f.authoring.importRunbook(uri));
  register(COMMANDS.previewGuide, (f, uri) => f.authoring.previewGuide(uri));
  // The demo's scenario (`npm run demo`): the orchestrator crashed mid-run. Its checks answer from
  // whatever workspace is open, so on the demo they find the stuck ws-15 and its worktree.
  register(COMMANDS.openDemoGuide, (f) =>
    f.openGuide('orchestrator-crash', {
      trigger: {
        source: 'manual',
        at: new Date().toISOString(),
        evidence: [
          { text: 'CRITICAL orchestrator: unhandled exception, shutting down', source: vscode.l10n.t('demo') },
          { text: '  File "scripts/orchestrator.py", line 198, in main', source: vscode.l10n.t('demo') },
          { text: 'MemoryError', source: vscode.l10n.t('demo') },
        ],
        fingerprint: 'demo',
      },
    }),
  );
  register(COMMANDS.configure, () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:lifeline-dev.lifeline'));
}
