// The workspace's orchestration conventions for the editor: the defaults (seed 001), then
// `.lifeline.json` at the workspace root (shared with the CLI), then Lifeline's settings. Read
// by the core's reader (regular files only, with a size limit): the file comes with the folder.
import type * as vscode from 'vscode';
import type { LifelineConfig } from '../core/fixups/config';
import { loadConfigOrDefaults } from '../core/engine/config-file';
import type { Settings } from './settings';

export async function workspaceConfig(root: vscode.Uri, settings: Settings, log?: vscode.LogOutputChannel): Promise<LifelineConfig> {
  const { config, problem } = await loadConfigOrDefaults(root.fsPath, settings.current.orchestration);
  if (problem) log?.warn(`${problem} — using the defaults`);
  return config;
}
