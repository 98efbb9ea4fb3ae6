// The workspace's orchestration conventions for the editor: the defaults (seed 001), then
// `.lifeline.json` at the workspace root (shared with the CLI), then Lifeline's settings.
import * as vscode from 'vscode';
import { CONFIG_FILE, resolveConfig } from '../core/fixups/config';
import type { LifelineConfig } from '../core/fixups/config';
import type { Settings } from './settings';

export async function workspaceConfig(root: vscode.Uri, settings: Settings, log?: vscode.LogOutputChannel): Promise<LifelineConfig> {
  let fromFile: unknown = {};
  try {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, CONFIG_FILE));
    fromFile = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (e) {
    if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) log?.warn(`${CONFIG_FILE}: ${e instanceof Error ? e.message : String(e)} — using the defaults`);
  }
  const base = typeof fromFile === 'object' && fromFile !== null ? fromFile : {};
  return resolveConfig({ ...base, ...settings.current.orchestration });
}
