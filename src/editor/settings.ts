// Lifeline's settings through one typed accessor. Values are read once and re-read when a
// `lifeline.*` setting changes; features subscribe to `onDidChange` and test `affects(key)`.
import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { workspaceRoot } from './workspace-root';
import { settingValue } from './setting-value';
import type { LifelineConfig } from '../core/fixups/config';

export interface LifelineSettings {
  /** The workspace folder with the user's own playbooks (relative to the workspace root). */
  playbooksFolder: string;
  /** Orchestration conventions set in settings; they override `.lifeline.json` and the defaults. */
  orchestration: Partial<LifelineConfig>;
  testReports: { enabled: boolean; globs: string[] };
  terminal: { watch: boolean };
  notifications: { enabled: boolean; minIntervalSeconds: number };
}

/** Setting keys (under `lifeline.`) that map onto the shared workspace conventions. */
const ORCHESTRATION_KEYS = {
  'orchestration.database': 'database',
  'orchestration.table': 'table',
  'orchestration.worktreesDir': 'worktreesDir',
  'orchestration.mainBranch': 'mainBranch',
  'orchestration.stuckAfterMinutes': 'stuckAfterMinutes',
} as const satisfies Record<string, keyof LifelineConfig>;

/** Keys package.json lists under `restrictedConfigurations` (here without `lifeline.`). */
const RESTRICTED = new Set(['orchestration.database', 'orchestration.worktreesDir']);

export interface SettingsChange {
  /** Whether `lifeline.<key>` (or a setting under it) changed. */
  affects(key: string): boolean;
}

export class Settings extends Disposable {
  // Read at first use, not at activation: the first configuration read of a window is slow.
  private value: LifelineSettings | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<SettingsChange>());
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('lifeline')) return;
        this.value = read();
        this.changed.fire({ affects: (key) => e.affectsConfiguration(`lifeline.${key}`) });
      }),
    );
    this._register(
      // Trust changes which levels of the restricted settings count.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.value = read();
        this.changed.fire({ affects: (key) => key === 'orchestration' || key.startsWith('orchestration.') });
      }),
    );
  }

  get current(): Readonly<LifelineSettings> {
    return (this.value ??= read());
  }
}

function read(): LifelineSettings {
  // Most settings are resource-scoped: read them for the folder Lifeline works on, so a
  // folder-level value counts (and VS Code does not warn about a scope-less read).
  const c = vscode.workspace.getConfiguration('lifeline', workspaceRoot());
  const orchestration: Partial<LifelineConfig> = {};
  for (const [key, field] of Object.entries(ORCHESTRATION_KEYS)) {
    // Only a value the user set overrides .lifeline.json; the schema's default does not.
    const set = settingValue(c.inspect<string | number>(key), RESTRICTED.has(key), vscode.workspace.isTrusted);
    if (set === undefined || set === '' || set === 0) continue;
    (orchestration as Record<string, unknown>)[field] = set;
  }
  const globs = c.get<unknown>('testReports.globs');
  return {
    playbooksFolder: str(c.get('playbooks.folder'), '.lifeline/playbooks'),
    orchestration,
    testReports: {
      enabled: c.get<boolean>('testReports.enabled', true),
      globs: Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string' && g.length > 0) : [],
    },
    terminal: { watch: c.get<boolean>('terminal.watch', true) },
    notifications: {
      enabled: c.get<boolean>('notifications.enabled', true),
      minIntervalSeconds: Math.max(0, Number(c.get('notifications.minIntervalSeconds', 30)) || 0),
    },
  };
}

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' && v.trim() ? v.trim() : fallback;
}
