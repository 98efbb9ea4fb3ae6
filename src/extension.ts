// Entry point: wires the editor features to the core. Nothing here but registration.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Lifeline', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(
    vscode.commands.registerCommand('lifeline.recover', async () => {
      const { recover } = await import('./editor/recover');
      await recover(context, log);
    }),
  );
}

export function deactivate(): void {
  // Every registration is owned by context.subscriptions.
}
