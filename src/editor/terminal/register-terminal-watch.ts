// Watches terminal commands through the stable shell-integration API. `execution.read()` must
// start inside the start event (or output is lost), so this light listener starts it at once
// and hands the stream to the output watch, which loads with the features. Where a terminal
// has no shell integration, Lifeline offers "Run Command with Lifeline" once.
import * as vscode from 'vscode';
import { shown } from '../../core/text/shown';
import { COMMANDS, CONTEXT_KEYS } from '../commands';
import type { LoadFeatures } from '../register-commands';
import type { Settings } from '../settings';
import type { OutputRun } from './output-watch';

const DONT_ASK_KEY = 'lifeline.shellIntegrationHintDismissed';

export function registerTerminalWatch(context: vscode.ExtensionContext, features: LoadFeatures, settings: Settings, log: vscode.LogOutputChannel): void {
  const pumps = new WeakMap<vscode.TerminalShellExecution, Promise<void>>();
  const runs = new WeakMap<vscode.TerminalShellExecution, Promise<OutputRun>>();

  context.subscriptions.push(
    vscode.window.onDidStartTerminalShellExecution((e) => {
      if (!settings.current.terminal.watch) return;
      const data = e.execution.read();
      const commandLine = e.execution.commandLine.value;
      const cwd = e.execution.cwd;
      const run = features().then((f) => {
        void f.output.checkCommandLine(commandLine, true, cwd?.scheme === 'file' ? cwd.fsPath : undefined).catch((err: unknown) => log.warn(`checking a command line: ${String(err)}`));
        return f.output.begin({ source: 'terminal', commandLine, ...(cwd ? { cwd } : {}) });
      });
      runs.set(e.execution, run);
      pumps.set(
        e.execution,
        (async () => {
          const r = await run;
          for await (const chunk of data) r.write(chunk);
        })().catch((err: unknown) => log.warn(`reading terminal output: ${String(err)}`)),
      );
    }),
    vscode.window.onDidEndTerminalShellExecution((e) => {
      const run = runs.get(e.execution);
      if (!run) return;
      const pump = pumps.get(e.execution)!;
      // The output stream ends with the execution; do not wait forever if it does not.
      const drained = Promise.race([pump, new Promise<void>((r) => setTimeout(r, 3_000))]);
      void drained
        .then(() => run)
        .then((r) => r.finish(e.exitCode))
        .catch((err: unknown) => log.error(`terminal command: ${String(err)}`));
    }),
  );

  // No shell integration after a while: say once how to get output watched anyway, and show
  // "Run Command with Lifeline" in the terminal panel's title bar. Terminals restored before
  // Lifeline started are checked too; a terminal's timer goes when it closes or gains integration.
  let hinted = false;
  const timers = new Map<vscode.Terminal, ReturnType<typeof setTimeout>>();
  // Terminals found without shell integration: the title-bar button shows while there is one.
  const lacking = new Set<vscode.Terminal>();
  const forget = (terminal: vscode.Terminal) => {
    clearTimeout(timers.get(terminal));
    timers.delete(terminal);
    if (lacking.delete(terminal) && lacking.size === 0) {
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.shellIntegrationMissing, false);
      log.info('every open terminal has shell integration again (or is closed)');
    }
  };
  const check = (terminal: vscode.Terminal) => {
    if (timers.has(terminal) || terminal.shellIntegration) return;
    const timer = setTimeout(() => {
      timers.delete(terminal);
      if (hinted || terminal.exitStatus || terminal.shellIntegration || !settings.current.terminal.watch) return;
      if (terminal.creationOptions && 'pty' in terminal.creationOptions) return; // our own task terminals
      lacking.add(terminal);
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.shellIntegrationMissing, true);
      log.info(`terminal "${terminal.name}" has no shell integration: Run Command with Lifeline is offered`);
      if (context.globalState.get<boolean>(DONT_ASK_KEY)) return;
      hinted = true;
      const run = vscode.l10n.t('Run Command with Lifeline');
      const never = vscode.l10n.t("Don't ask again");
      void vscode.window
        .showInformationMessage(vscode.l10n.t('Lifeline cannot see the commands in terminal "{0}" (no shell integration). Run a command through Lifeline to have its failures recognised.', shown(terminal.name)), run, never)
        .then((c) => {
          if (c === run) void vscode.commands.executeCommand(COMMANDS.runWithLifeline);
          if (c === never) void context.globalState.update(DONT_ASK_KEY, true);
        });
    }, 10_000);
    timers.set(terminal, timer);
  };
  context.subscriptions.push(
    vscode.window.onDidOpenTerminal(check),
    vscode.window.onDidCloseTerminal(forget),
    vscode.window.onDidChangeTerminalShellIntegration((e) => forget(e.terminal)),
    { dispose: () => [...timers.keys()].forEach(forget) },
  );
  vscode.window.terminals.forEach(check);
}
