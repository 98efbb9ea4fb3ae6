// Sorts the fix-up engine's findings into the Stuck Workstreams view's groups (under one node per
// agent tool when more than one has findings) and words each row (the tool's title, age, branch,
// commits ahead, process alive). No `vscode` import: unit-tested as is.
import type { Finding, FindingKind } from '../../core/fixups/types';
import type { SourceId } from '../../core/fixups/workstream';
import { actionOf } from '../../core/fixups/action-name';

export type GroupId = 'stuck' | 'blocked' | 'failed' | 'worktrees' | 'database';

export const GROUP_OF: Record<FindingKind, GroupId> = {
  'stuck-workstream': 'stuck',
  'ghost-run': 'stuck',
  'dependency-cycle': 'blocked',
  'dangling-dependency': 'blocked',
  'invalid-spec': 'blocked',
  'failed-workstream': 'failed',
  'prunable-worktree': 'worktrees',
  'locked-worktree': 'worktrees',
  'orphaned-worktree': 'worktrees',
  'dirty-worktree': 'worktrees',
  'foreign-worktree': 'worktrees',
  'hot-wal': 'database',
  'stale-journal': 'database',
  'db-unreadable': 'database',
  'db-missing': 'database',
};

export const GROUP_ORDER: readonly GroupId[] = ['stuck', 'blocked', 'failed', 'worktrees', 'database'];

export interface Row {
  finding: Finding;
  label: string;
  /** Short facts shown beside the label. */
  description: string;
  /** Marks a dependency cycle (its own icon). */
  cycle: boolean;
  /** `when`-clause material: `lifeline-finding kind-<kind> act-<action> ...`. */
  contextValue: string;
}

export interface Group {
  id: GroupId;
  rows: Row[];
}

type Localize = (message: string, ...args: (string | number | boolean)[]) => string;

/**
 * Whose state a finding is in, as the view names it: the repository itself (the orchestration
 * database, its specs and plain git worktrees) or one agent tool.
 */
export type ToolId = 'repository' | 'claude-code' | 'codex' | 'vibe-kanban' | 'claude-squad';

export const TOOL_OF: Record<SourceId, ToolId> = {
  'orchestration-db': 'repository',
  'workstream-specs': 'repository',
  git: 'repository',
  'claude-code': 'claude-code',
  codex: 'codex',
  'vibe-kanban': 'vibe-kanban',
  'claude-squad': 'claude-squad',
};

export const TOOL_ORDER: readonly ToolId[] = ['repository', 'claude-code', 'codex', 'vibe-kanban', 'claude-squad'];

export interface ToolGroup {
  tool: ToolId;
  groups: Group[];
  /** Findings under this tool. */
  count: number;
}

/**
 * The view's top level: one node per tool when findings come from more than one (each holding
 * its own groups), else the groups themselves.
 */
export function groupForView(findings: readonly Finding[], t: Localize): { tools: ToolGroup[] } | { groups: Group[] } {
  const byTool = new Map<ToolId, Finding[]>();
  for (const f of findings) {
    const tool = TOOL_OF[f.source] ?? 'repository';
    byTool.set(tool, [...(byTool.get(tool) ?? []), f]);
  }
  if (byTool.size <= 1) return { groups: groupFindings(findings, t) };
  return { tools: TOOL_ORDER.filter((id) => byTool.has(id)).map((tool) => ({ tool, groups: groupFindings(byTool.get(tool)!, t), count: byTool.get(tool)!.length })) };
}

/** Groups in a fixed order; empty groups are left out. */
export function groupFindings(findings: readonly Finding[], t: Localize): Group[] {
  const groups = new Map<GroupId, Row[]>();
  for (const f of findings) {
    const id = GROUP_OF[f.kind] ?? 'worktrees';
    groups.set(id, [...(groups.get(id) ?? []), rowOf(f, t)]);
  }
  return GROUP_ORDER.filter((g) => groups.get(g)?.length).map((id) => ({ id, rows: groups.get(id)!.sort((a, b) => a.label.localeCompare(b.label)) }));
}

export function rowOf(f: Finding, t: Localize): Row {
  const facts = f.facts ?? {};
  const parts: string[] = [];
  const age = num(facts, 'ageMinutes', 'branchAgeMinutes');
  if (age !== undefined) parts.push(formatAge(age, t));
  const branch = str(facts, 'branch');
  if (branch) parts.push(branch);
  const ahead = num(facts, 'aheadOfMain', 'commitsAhead');
  if (ahead !== undefined) parts.push(t('{0} ahead', ahead));
  const alive = bool(facts, 'processAlive');
  if (alive !== undefined) parts.push(alive ? t('process alive') : t('no process'));
  const cycle = f.kind === 'dependency-cycle';
  if (cycle) parts.unshift(t('cycle'));
  // In the tool's own words: vibe-kanban's task title, claude-squad's session name; the id beside it.
  const title = str(facts, 'title');
  if (title && title !== f.subject) parts.unshift(f.subject);
  const actions = f.actions.map((a) => `act-${actionOf(a.id)}`);
  return {
    finding: f,
    label: title ?? f.subject,
    description: parts.join(' · '),
    cycle,
    contextValue: ['lifeline-finding', `kind-${f.kind}`, ...new Set(actions)].join(' '),
  };
}

export function formatAge(minutes: number, t: Localize): string {
  if (minutes < 60) return t('{0} min', Math.round(minutes));
  if (minutes < 48 * 60) return t('{0} h', Math.round(minutes / 60));
  return t('{0} d', Math.round(minutes / 1440));
}

function num(facts: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const k of keys) if (typeof facts[k] === 'number' && Number.isFinite(facts[k])) return facts[k];
  return undefined;
}

function str(facts: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const k of keys) if (typeof facts[k] === 'string' && facts[k]) return facts[k];
  return undefined;
}

function bool(facts: Record<string, unknown>, ...keys: string[]): boolean | undefined {
  for (const k of keys) if (typeof facts[k] === 'boolean') return facts[k];
  return undefined;
}
