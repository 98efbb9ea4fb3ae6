// Ownership of registrations: a long-lived object extends Disposable and registers what it
// creates, so disposing it releases everything (listeners, watchers, timers, panels).
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private _disposed = false;

  protected get isDisposed(): boolean {
    return this._disposed;
  }

  protected _register<T extends vscode.Disposable>(d: T): T {
    if (this._disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    while (this.owned.length) {
      try {
        this.owned.pop()!.dispose();
      } catch {
        // One failing disposal must not keep the rest alive.
      }
    }
  }
}

/** A disposable from a function (a timer, a map cleared on dispose). */
export function toDisposable(fn: () => void): vscode.Disposable {
  return { dispose: fn };
}
