// Lifeline's one LogOutputChannel, created when something is first logged or shown rather than
// during activation (creating it costs more than everything else activation does).
import * as vscode from 'vscode';

export function lazyLogChannel(context: vscode.ExtensionContext, name: string): vscode.LogOutputChannel {
  let channel: vscode.LogOutputChannel | undefined;
  const real = () => (channel ??= vscode.window.createOutputChannel(name, { log: true }));
  context.subscriptions.push({ dispose: () => channel?.dispose() });
  return new Proxy({} as vscode.LogOutputChannel, {
    get(_target, key) {
      const c = real();
      const value: unknown = Reflect.get(c, key, c);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(c) : value;
    },
  });
}
