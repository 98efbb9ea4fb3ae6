// The agent-facing tools by name: what each is for (in the words an agent reads: MCP's title and
// description, VS Code's modelDescription) and which change something. Plain data with no
// imports, so the editor's activation bundle can register the tools without loading them.
export const TOOL_NAMES = [
  'lifeline_classify',
  'lifeline_guide',
  'lifeline_check_command',
  'lifeline_record_attempt',
  'lifeline_diagnose',
  'lifeline_journal',
  'lifeline_preview_fix',
  'lifeline_fix',
  'lifeline_undo',
] as const;

export type ToolName = (typeof TOOL_NAMES)[number];

/** The tools that change something; the rest only read. */
export const CHANGING_TOOLS: ReadonlySet<ToolName> = new Set<ToolName>(['lifeline_record_attempt', 'lifeline_fix', 'lifeline_undo']);

/** What each tool is for, in the words an agent reads (MCP's title and description, VS Code's modelDescription). */
export const TOOL_INFO: Record<ToolName, { title: string; description: string }> = {
  lifeline_classify: {
    title: 'Classify failure output',
    description: 'Name the known failure in some output (build, test, agent logs): scenario, root cause, recovery plan, suggested actions. Same JSON as `lifeline classify --json`.',
  },
  lifeline_guide: {
    title: 'Walk a recovery playbook',
    description: "The guide's current step with filled-in commands, options and progress, after the moves given (as its `next` list spells them). Runs no fix-up: use lifeline_preview_fix and lifeline_fix. Same JSON as `lifeline guide --json`.",
  },
  lifeline_check_command: {
    title: 'Is this command forbidden?',
    description:
      'Whether a playbook forbids a shell command line, and why; `git worktree remove --force` on a worktree holding uncommitted work (its path read from cwd, where the command would run) is forbidden too. Same JSON as `lifeline check-command --json`.',
  },
  lifeline_record_attempt: {
    title: 'Record a failed attempt',
    description: 'Count one failure (its output, or a fingerprint) in this workspace. The third identical failure answers "change approach" with the repeated-failure playbook.',
  },
  lifeline_diagnose: {
    title: 'Diagnose the workspace',
    description: 'Stuck or failed workstreams, broken worktrees, dependency cycles, database trouble, each with the fix-ups (action ids) that apply. Same JSON as `lifeline diagnose --json`.',
  },
  lifeline_journal: {
    title: 'Journal of fix-ups',
    description: 'The fix-ups applied in this workspace and whether each can still be undone. Same JSON as `lifeline journal --json`.',
  },
  lifeline_preview_fix: {
    title: 'Preview a fix-up',
    description: 'Exactly what one fix-up (an action id from lifeline_diagnose) would do, and its previewId. Changes nothing. Same JSON as `lifeline fix ACTION --dry-run --json`.',
  },
  lifeline_fix: {
    title: 'Apply a fix-up (asks the human)',
    description:
      'Apply one fix-up, journaled and undoable where it can be. Only the human can approve it: Lifeline shows them the plan and they say yes (in VS Code, Run in the Lifeline panel; over MCP, an elicitation). Nothing you pass counts as consent. Give the previewId from lifeline_preview_fix: a plan that changed since is refused.',
  },
  lifeline_undo: {
    title: 'Undo a fix-up (asks the human)',
    description: 'Undo a journaled fix-up (the latest when no entry is given), after the human says yes.',
  },
};
