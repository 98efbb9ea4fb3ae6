// Shared by the editor's integration suites (they run inside the real extension host): reach
// the extension's API and wait for asynchronous UI state without fixed sleeps.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { LifelineApi } from '../../src/extension';

export const EXTENSION_ID = 'lifeline-dev.lifeline';

export async function lifeline(): Promise<LifelineApi> {
  const ext = vscode.extensions.getExtension<LifelineApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  await api.ready;
  return api;
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Closes every editor, unsaved edits reverted first: a dirty document outlives its editor, and the
 * next test's openTextDocument would get its old text instead of the file on disk.
 */
export async function closeAllEditors(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file')) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export interface OfferedPick {
  items: (vscode.QuickPickItem & Record<string, unknown>)[];
  title?: string;
  placeHolder?: string;
}

/**
 * Answers every window.showQuickPick with `choose` (undefined: dismissed) until restored,
 * recording what each offered: a quick pick cannot be driven from a test otherwise.
 */
export function answerQuickPicks(choose: (p: OfferedPick) => vscode.QuickPickItem | undefined): { seen: OfferedPick[]; restore(): void } {
  const w = vscode.window as { showQuickPick: typeof vscode.window.showQuickPick };
  const original = w.showQuickPick;
  const seen: OfferedPick[] = [];
  w.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
    const p: OfferedPick = { items: [...(await items)] as OfferedPick['items'], ...(options?.title ? { title: options.title } : {}), ...(options?.placeHolder ? { placeHolder: options.placeHolder } : {}) };
    seen.push(p);
    return choose(p);
  }) as unknown as typeof vscode.window.showQuickPick;
  return { seen, restore: () => (w.showQuickPick = original) };
}

/** Every file under `dir` with its SHA-256 (git's index and lock files aside: VS Code's own Git may touch them), to prove nothing changed. */
export function workspaceDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true }).map(String)) {
    const abs = join(dir, f);
    if (/(^|[\\/])\.git[\\/](index|.*\.lock$|FETCH_HEAD)/.test(f) || !statSync(abs).isFile()) continue;
    out[relative(dir, abs)] = createHash('sha256').update(readFileSync(abs)).digest('hex');
  }
  return out;
}
