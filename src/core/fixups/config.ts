// Workspace conventions (seed 001's defaults), shared by the CLI and the extension. A project
// overrides them in `.lifeline.json` at the workspace root (the extension also reads its
// settings into the same shape). Pure: the caller supplies the override object.
export interface LifelineConfig {
  /** SQLite orchestration database, relative to the workspace root. */
  database: string;
  /** Table holding one row per workstream. */
  table: string;
  /** Folder that holds the agents' worktrees, relative to the root. */
  worktreesDir: string;
  /** Branch naming: `{ws}` and `{agent}` are replaced. */
  branchPattern: string;
  /** Workstream specs (glob, relative to the root) with `depends_on`. */
  specsGlob: string;
  /** A workstream "running" longer than this is stuck. */
  stuckAfterMinutes: number;
  /** Main branch; detected (main, master, init.defaultBranch) when empty. */
  mainBranch: string;
  /** Folder for logs bundled on escalation. */
  logsDir: string;
  /** Where backups of the database go before a write. */
  backupsDir: string;
  /** Where the fix-up journal lives. */
  journalDir: string;
  /** `lifeline preflight` blocks a launch with less free disk than this (seed 001 asks for 10 GB+). */
  preflightMinFreeGb: number;
}

export const DEFAULT_CONFIG: Readonly<LifelineConfig> = Object.freeze({
  database: '.state/orchestration.db',
  table: 'workstream_status',
  worktreesDir: '.worktrees',
  branchPattern: 'ws/{ws}/{agent}',
  specsGlob: 'workstreams/*.json',
  stuckAfterMinutes: 60,
  mainBranch: '',
  logsDir: 'logs',
  backupsDir: '.state/backups',
  journalDir: '.state/lifeline-journal',
  preflightMinFreeGb: 10,
});

/** The config file a workspace may carry. */
export const CONFIG_FILE = '.lifeline.json';

/** Merges a partial override (from `.lifeline.json` or settings) over the defaults, ignoring wrong types. */
export function resolveConfig(override: unknown): LifelineConfig {
  const out: LifelineConfig = { ...DEFAULT_CONFIG };
  if (!override || typeof override !== 'object') return out;
  const o = override as Record<string, unknown>;
  for (const key of Object.keys(DEFAULT_CONFIG) as (keyof LifelineConfig)[]) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v === typeof DEFAULT_CONFIG[key]) (out as unknown as Record<string, unknown>)[key] = v;
  }
  return out;
}
