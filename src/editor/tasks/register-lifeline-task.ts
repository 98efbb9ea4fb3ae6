// The `lifeline` task type and "Run Command with Lifeline": a command run in Lifeline's own
// pseudoterminal, so its output is watched even where shell integration is missing. Also the
// re-run command of the test quick fixes, which runs a test's argv the same way.
import * as vscode from 'vscode';
import { COMMANDS, TASK_TYPE } from '../commands';
import type { LoadFeatures } from '../register-commands';
import { isTestIdentity } from '../../core/testreports/identity';

export function registerLifelineTask(context: vscode.ExtensionContext, features: LoadFeatures, log: vscode.LogOutputChannel): void {
  const makeTask = (definition: vscode.TaskDefinition, name: string, scope: vscode.TaskScope | vscode.WorkspaceFolder = vscode.TaskScope.Workspace): vscode.Task => {
    const task = new vscode.Task(
      definition,
      scope,
      name,
      TASK_TYPE,
      new vscode.CustomExecution(async (resolved) => (await features()).commandPty(resolved)),
    );
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, focus: false, clear: false };
    return task;
  };

  context.subscriptions.push(
    vscode.tasks.registerTaskProvider(TASK_TYPE, {
      provideTasks: () => [],
      resolveTask: (task) => makeTask(task.definition, task.name, task.scope === undefined || typeof task.scope === 'number' ? vscode.TaskScope.Workspace : task.scope),
    }),
  );

  const run = async (definition: vscode.TaskDefinition, name: string) => {
    // As VS Code's own tasks: nothing runs in Restricted Mode (a test run executes workspace code).
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Lifeline runs no commands in Restricted Mode. Trust this folder to run "{0}".', name));
      return undefined;
    }
    log.info(`running lifeline task: ${name}`);
    return vscode.tasks.executeTask(makeTask(definition, name));
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.runWithLifeline, async (arg?: unknown) => {
      const line =
        typeof arg === 'string'
          ? arg
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Run Command with Lifeline'),
              prompt: vscode.l10n.t('The command runs in a Lifeline terminal that recognises known failures in its output.'),
              placeHolder: 'pytest -x',
              ignoreFocusOut: true,
            });
      if (!line?.trim()) return undefined;
      return run({ type: TASK_TYPE, command: line.trim() }, line.trim());
    }),
    vscode.commands.registerCommand(COMMANDS.rerunTest, async (arg?: unknown) => {
      const a = arg as { argv?: unknown; cwd?: unknown; label?: unknown; test?: unknown } | undefined;
      if (!a || !Array.isArray(a.argv) || a.argv.length === 0 || a.argv.some((x) => typeof x !== 'string')) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Lifeline: nothing to re-run.'));
        return undefined;
      }
      const argv = a.argv as string[];
      return run({ type: TASK_TYPE, command: argv[0]!, args: argv.slice(1), ...(typeof a.cwd === 'string' ? { cwd: a.cwd } : {}), ...(isTestIdentity(a.test) ? { rerunOf: a.test } : {}) }, vscode.l10n.t('Re-run {0}', typeof a.label === 'string' ? a.label : argv.join(' ')));
    }),
  );
}
