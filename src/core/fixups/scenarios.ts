// The built-in playbook each finding kind hands over to (ids of playbooks/*.yaml).
import type { FindingKind } from './types';

export const SCENARIO_FOR: Readonly<Record<FindingKind, string>> = {
  'stuck-workstream': 'agent-hang',
  'failed-workstream': 'orchestrator-crash',
  'dependency-cycle': 'dependency-cycle',
  'dangling-dependency': 'dependency-cycle',
  'invalid-spec': 'dependency-cycle',
  'prunable-worktree': 'worktree-corruption',
  'locked-worktree': 'worktree-corruption',
  'orphaned-worktree': 'orchestrator-crash',
  'dirty-worktree': 'agent-hang',
  'foreign-worktree': 'worktree-corruption',
  'hot-wal': 'db-locked',
  'stale-journal': 'db-locked',
  'db-unreadable': 'db-locked',
  'db-missing': 'orchestrator-crash',
  'ghost-run': 'ghost-run',
};

/** The playbook an aborted merge or revert continues with. */
export const MERGE_CONFLICT_SCENARIO = 'merge-conflict';
