// The Stuck Workstreams view's data: findings from the fix-up engine, grouped. Refreshes run in
// the background (never blocking getChildren on sync I/O), are debounced when files change and
// cancel the one before. Light: the diagnosis itself is loaded with the features.
import * as vscode from 'vscode';
import { Disposable } from '../dispose';
import { COMMANDS } from '../commands';
import type { Diagnosis } from '../../core/engine/workspace-fixups';
import { groupForView } from './workstream-groups';
import type { Group, GroupId, Row, ToolGroup, ToolId } from './workstream-groups';
import { shown } from '../../core/text/shown';

export type WorkstreamNode = { type: 'tool'; tool: ToolGroup } | { type: 'group'; group: Group; tool?: ToolId } | { type: 'row'; row: Row };

const TOOL_ICON: Record<ToolId, string> = { repository: 'repo', 'claude-code': 'sparkle', codex: 'hubot', 'vibe-kanban': 'project', 'claude-squad': 'terminal-tmux' };

const GROUP_ICON: Record<GroupId, string> = { stuck: 'watch', blocked: 'circle-slash', failed: 'error', worktrees: 'repo', database: 'database' };
const KIND_ICON: Record<string, string> = {
  'stuck-workstream': 'watch',
  'dependency-cycle': 'sync',
  'dangling-dependency': 'debug-disconnect',
  'failed-workstream': 'error',
  'prunable-worktree': 'trash',
  'locked-worktree': 'lock',
  'orphaned-worktree': 'question',
  'dirty-worktree': 'diff-modified',
  'foreign-worktree': 'shield',
  'hot-wal': 'database',
  'stale-journal': 'database',
  'db-unreadable': 'warning',
  'db-missing': 'warning',
  'ghost-run': 'debug-disconnect',
};

export class WorkstreamsProvider extends Disposable implements vscode.TreeDataProvider<WorkstreamNode> {
  private readonly changed = this._register(new vscode.EventEmitter<WorkstreamNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loaded = this._register(new vscode.EventEmitter<Diagnosis>());
  /** Fires after each diagnosis (tests wait on it; the context key follows it). */
  readonly onDidLoad = this.loaded.event;
  private current: Promise<WorkstreamNode[]> | undefined;
  private abort: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last: Diagnosis | undefined;

  constructor(
    private readonly diagnose: (signal: AbortSignal) => Promise<Diagnosis>,
    private readonly log: vscode.LogOutputChannel,
    private readonly debounceMs = 500,
  ) {
    super();
    this._register({ dispose: () => (clearTimeout(this.timer), this.abort?.abort()) });
  }

  get lastDiagnosis(): Diagnosis | undefined {
    return this.last;
  }

  /** Diagnoses again now. */
  refresh(): void {
    clearTimeout(this.timer);
    this.abort?.abort();
    this.current = undefined;
    this.changed.fire(undefined);
  }

  /** Diagnoses again once changes settle (file watchers call this). */
  scheduleRefresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), this.debounceMs);
  }

  async getChildren(element?: WorkstreamNode): Promise<WorkstreamNode[]> {
    if (element?.type === 'tool') return element.tool.groups.map((group) => ({ type: 'group', group, tool: element.tool.tool }));
    if (element?.type === 'group') return element.group.rows.map((row) => ({ type: 'row', row }));
    if (element) return [];
    this.current ??= this.load();
    return this.current;
  }

  getTreeItem(node: WorkstreamNode): vscode.TreeItem {
    if (node.type === 'tool') {
      const item = new vscode.TreeItem(`${toolLabel(node.tool.tool)} (${node.tool.count})`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `tool:${node.tool.tool}`;
      item.iconPath = new vscode.ThemeIcon(TOOL_ICON[node.tool.tool]);
      item.contextValue = `lifeline-tool tool-${node.tool.tool}`;
      return item;
    }
    if (node.type === 'group') {
      const item = new vscode.TreeItem(`${groupLabel(node.group.id)} (${node.group.rows.length})`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.tool ? `group:${node.tool}:${node.group.id}` : `group:${node.group.id}`;
      item.iconPath = new vscode.ThemeIcon(GROUP_ICON[node.group.id]);
      item.contextValue = `lifeline-group group-${node.group.id}`;
      return item;
    }
    const { row } = node;
    // Labels come from the database and the disk: bidi overrides and control characters escaped.
    const item = new vscode.TreeItem(shown(row.label), vscode.TreeItemCollapsibleState.None);
    item.id = row.finding.id;
    item.description = row.description === undefined ? undefined : shown(row.description);
    item.iconPath = new vscode.ThemeIcon(KIND_ICON[row.finding.kind] ?? 'warning', row.cycle ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
    item.contextValue = row.contextValue;
    const tip = new vscode.MarkdownString(undefined, false);
    tip.appendText(shown(row.finding.detail));
    tip.appendMarkdown('\n\n');
    tip.appendText(vscode.l10n.t('Guide: {0}', row.finding.scenario));
    for (const [k, v] of Object.entries(row.finding.facts ?? {})) {
      tip.appendMarkdown('\n\n');
      tip.appendText(`${factLabel(k)}: ${v === true ? vscode.l10n.t('yes') : v === false ? vscode.l10n.t('no') : v === null ? vscode.l10n.t('unknown') : shown(String(v))}`);
    }
    item.tooltip = tip;
    item.accessibilityInformation = { label: shown(`${row.label}, ${row.finding.detail}${row.description ? `, ${row.description}` : ''}`) };
    item.command = { command: COMMANDS.treeOpenGuide, title: vscode.l10n.t('Open Guide'), arguments: [node] };
    return item;
  }

  private async load(): Promise<WorkstreamNode[]> {
    const abort = (this.abort = new AbortController());
    const started = Date.now();
    try {
      const d = await this.diagnose(abort.signal);
      if (abort.signal.aborted) return [];
      this.last = d;
      this.log.info(`workstreams: ${d.findings.length} findings in ${Date.now() - started} ms`);
      this.loaded.fire(d);
      const view = groupForView(d.findings, vscode.l10n.t);
      return 'tools' in view ? view.tools.map((tool) => ({ type: 'tool', tool })) : view.groups.map((group) => ({ type: 'group', group }));
    } catch (e) {
      if (abort.signal.aborted) return [];
      this.log.error(`workstreams: diagnosis failed: ${e instanceof Error ? e.message : String(e)}`);
      const d: Diagnosis = { findings: [], hasDatabase: this.last?.hasDatabase ?? false, error: e instanceof Error ? e.message : String(e) };
      this.last = d;
      this.loaded.fire(d);
      return [];
    }
  }
}

function toolLabel(id: ToolId): string {
  switch (id) {
    case 'repository':
      return vscode.l10n.t('This repository');
    case 'claude-code':
      return 'Claude Code';
    case 'codex':
      return 'Codex';
    case 'vibe-kanban':
      return 'vibe-kanban';
    case 'claude-squad':
      return 'claude-squad';
  }
}

function groupLabel(id: GroupId): string {
  switch (id) {
    case 'stuck':
      return vscode.l10n.t('Stuck');
    case 'blocked':
      return vscode.l10n.t('Blocked');
    case 'failed':
      return vscode.l10n.t('Failed');
    case 'worktrees':
      return vscode.l10n.t('Worktree problems');
    case 'database':
      return vscode.l10n.t('Database');
  }
}

/** A fact's key as words: `aheadOfMain` -> "Ahead of main". */
export function factLabel(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
