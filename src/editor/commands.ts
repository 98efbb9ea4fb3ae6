// Every command id Lifeline contributes, in one place (package.json lists the same ids).
export const COMMANDS = {
  recover: 'lifeline.recover',
  classifySelection: 'lifeline.classifySelection',
  classifyClipboard: 'lifeline.classifyClipboard',
  /** Opens a guide: (playbookId: string, options?: OpenGuideArgs). */
  openGuide: 'lifeline.openGuide',
  openDemoGuide: 'lifeline.openDemoGuide',
  runWithLifeline: 'lifeline.runWithLifeline',
  undoFixup: 'lifeline.undoFixup',
  /** Seed 001's launch checklist: clear, or the blockers to pick a guide from. */
  preflight: 'lifeline.preflight',
  configure: 'lifeline.configure',
  showLog: 'lifeline.showLog',
  resetDismissed: 'lifeline.resetDismissed',
  newPlaybook: 'lifeline.newPlaybook',
  /** Import Runbook...: (runbook?: Uri) — the explorer's context menu passes the file. */
  importRunbook: 'lifeline.importRunbook',
  /** Preview Guide: (playbook?: Uri) — the open editor's file when absent. */
  previewGuide: 'lifeline.previewGuide',
  /** Adds Lifeline's MCP server (and Claude Code hooks) to a terminal agent's config. */
  connectAgent: 'lifeline.connectAgent',
  treeRefresh: 'lifeline.workstreams.refresh',
  /** Picks among a tree item's fix-ups (inline action). */
  treeFix: 'lifeline.workstreams.fix',
  treeOpenGuide: 'lifeline.workstreams.openGuide',
  treeMarkFailed: 'lifeline.workstreams.markFailed',
  treeMarkPending: 'lifeline.workstreams.markPending',
  treeSaveWip: 'lifeline.workstreams.saveWip',
  treeUnblock: 'lifeline.workstreams.unblock',
  treePrune: 'lifeline.workstreams.prune',
  treeUnlock: 'lifeline.workstreams.unlock',
  treeRemoveWorktree: 'lifeline.workstreams.removeWorktree',
  /** Code action: re-run one failing test: (rerun: RerunArgs). */
  rerunTest: 'lifeline.rerunTest',
  /** Code action: find the merge that broke the tests. */
  findBreakingMerge: 'lifeline.findBreakingMerge',
} as const;

/** Tree commands bound to one fix-up action each (context menu entries). */
export const TREE_ACTION_COMMANDS = {
  'workstream.mark-failed': COMMANDS.treeMarkFailed,
  'workstream.mark-pending': COMMANDS.treeMarkPending,
  'worktree.save-wip': COMMANDS.treeSaveWip,
  'workstream.unblock': COMMANDS.treeUnblock,
  'worktree.prune': COMMANDS.treePrune,
  'worktree.unlock': COMMANDS.treeUnlock,
  'worktree.remove': COMMANDS.treeRemoveWorktree,
} as const;

export const VIEWS = {
  container: 'lifeline',
  workstreams: 'lifeline.workstreams',
} as const;

/** Context keys Lifeline sets for `when` clauses. */
export const CONTEXT_KEYS = {
  hasDatabase: 'lifeline.hasOrchestrationDb',
  /** 'repository', 'no-commits' or 'not-git': which welcome the Stuck Workstreams view shows. */
  folderKind: 'lifeline.folderKind',
  shellIntegrationMissing: 'lifeline.shellIntegrationMissing',
  /** The active editor shows a playbook (in the configured folder, or one that says `lifeline: 1`). */
  editorIsPlaybook: 'lifeline.editorIsPlaybook',
} as const;

export const TASK_TYPE = 'lifeline';
export const PANEL_VIEW_TYPE = 'lifeline.recovery';
