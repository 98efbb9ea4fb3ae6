// "Lifeline: Connect an Agent...": adds Lifeline's MCP server (and, for Claude Code, its hooks) to
// a terminal agent's config, pointing at this extension's own bundled CLI, so a user who only
// installed the extension needs no `lifeline` on PATH. The change is shown as a diff and written
// only after a yes; planning and writing are src/tools/agent-config.ts, shared with
// `lifeline mcp install` and `lifeline hook install`.
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AgentConfigRefused, agentConfigPath, planAgentConfig, writeAgentConfig } from '../../tools/agent-config';
import type { AgentClient, AgentConfigInput, AgentConfigKind, AgentConfigPlan, AgentScope } from '../../tools/agent-config';
import { bundledCommand } from '../../tools/node-runtime';
import { shown } from '../../core/text/shown';
import { workspaceRoot } from '../workspace-root';

const SCHEME = 'lifeline-agent-config';

interface Pick<T> extends vscode.QuickPickItem {
  value: T;
}

/** The questions the command asks, in order (tests answer each as it is asked). */
export type ConnectQuestion = 'client' | 'scope' | 'write' | 'hooks';

export class ConnectAgent implements vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly asking = new vscode.EventEmitter<ConnectQuestion>();
  /** Fires as each quick pick opens. */
  readonly onDidAsk = this.asking.event;
  private readonly provider: vscode.Disposable;
  private diffs = 0;

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.provider = vscode.workspace.registerTextDocumentContentProvider(SCHEME, { provideTextDocumentContent: (uri) => this.texts.get(uri.path) ?? '' });
  }

  async run(): Promise<void> {
    const root = workspaceRoot();
    if (root && !vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(vscode.l10n.t('This workspace is not trusted: Lifeline writes no agent config here.'));
      return;
    }
    const client = await this.pick<AgentClient>(
      'client',
      [
        { label: 'Claude Code', description: vscode.l10n.t('MCP server and hooks'), value: 'claude-code' },
        { label: 'Codex', description: vscode.l10n.t('MCP server'), value: 'codex' },
        { label: 'Cursor', description: vscode.l10n.t('MCP server'), value: 'cursor' },
      ],
      vscode.l10n.t('Which agent should call Lifeline?'),
    );
    if (!client) return;
    const scope = await this.pickScope(client, root?.fsPath);
    if (!scope) return;
    const workspace = root?.fsPath ?? homedir();
    const cli = this.command(join(this.extensionPath, 'dist', 'cli.js'));
    if (!(await this.offer({ client, kind: 'mcp', scope, workspace, home: homedir(), command: cli('mcp') }))) return;
    if (client !== 'claude-code') return;
    const hooks = await this.pick<boolean>(
      'hooks',
      [
        { label: vscode.l10n.t('Also add the hooks'), detail: vscode.l10n.t('Claude Code asks Lifeline before each shell command (a command a playbook forbids is blocked, with its reason) and after each failed one (the next step of the matching guide).'), value: true },
        { label: vscode.l10n.t('Not now'), value: false },
      ],
      vscode.l10n.t("Add Lifeline's hooks to Claude Code too?"),
    );
    if (!hooks) return;
    // One small bundle answers every hook event (it hands failures on to dist/cli.js itself).
    await this.offer({ client, kind: 'hook', scope, workspace, home: homedir(), command: this.command(join(this.extensionPath, 'dist', 'hook.js'))('claude-code') });
  }

  /** This extension's bundled script as a command line an agent can start. */
  private command(script: string) {
    return (...words: string[]) => bundledCommand(script, words, process.execPath, process.env.PATH);
  }

  private async pickScope(client: AgentClient, folder: string | undefined): Promise<AgentScope | undefined> {
    const where = (scope: AgentScope) => agentConfigPath(client, 'mcp', scope, folder ?? homedir(), homedir());
    const items: Pick<AgentScope>[] = [
      ...(folder ? [{ label: vscode.l10n.t('This project'), description: shown(where('project')), value: 'project' as const }] : []),
      { label: vscode.l10n.t('All my projects'), description: shown(where('user')), value: 'user' },
    ];
    return this.pick('scope', items, vscode.l10n.t('Where should the config go?'));
  }

  /** Shows the change as a diff and writes it after a yes; false when nothing was written and the user stopped. */
  private async offer(input: AgentConfigInput): Promise<boolean> {
    let plan: AgentConfigPlan;
    try {
      plan = await planAgentConfig(input);
    } catch (e) {
      if (!(e instanceof AgentConfigRefused)) throw e;
      void vscode.window.showErrorMessage(vscode.l10n.t('Lifeline: {0}', shown(e.message)));
      return false;
    }
    const what = kindName(input.kind);
    if (!plan.changed) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} already has {1}; nothing to change.', shown(plan.path), what));
      return true;
    }
    await this.showDiff(plan, what);
    const yes = await this.pick<boolean>(
      'write',
      [
        { label: `$(check) ${vscode.l10n.t('Write {0}', shown(plan.path))}`, detail: vscode.l10n.t('Adds {0}; everything else in the file is kept.', what), value: true },
        { label: vscode.l10n.t('Cancel'), value: false },
      ],
      vscode.l10n.t('Write this change? (the diff is open beside)'),
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    this.texts.clear(); // the diff is closed: its texts are not needed again
    if (!yes) return false;
    try {
      await writeAgentConfig(plan);
    } catch (e) {
      if (!(e instanceof AgentConfigRefused)) throw e;
      void vscode.window.showErrorMessage(vscode.l10n.t('Lifeline: {0}', shown(e.message)));
      return false;
    }
    this.log.info(`connect an agent: wrote ${plan.path} (${input.client}, ${input.kind}, ${input.scope})`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Lifeline: wrote {0} to {1}. Restart the agent to pick it up.', what, shown(plan.path)));
    return true;
  }

  /** The file before and after, side by side (the full path is in the question below it). */
  private async showDiff(plan: AgentConfigPlan, what: string): Promise<void> {
    const n = ++this.diffs;
    const name = plan.path.split(/[\\/]/).pop() ?? 'config';
    const before = `/${n}/before/${name}`;
    const after = `/${n}/after/${name}`;
    this.texts.set(before, plan.before);
    this.texts.set(after, plan.after);
    await vscode.commands.executeCommand(
      'vscode.diff',
      vscode.Uri.from({ scheme: SCHEME, path: before }),
      vscode.Uri.from({ scheme: SCHEME, path: after }),
      vscode.l10n.t('{0} (with {1})', name, what),
      { preview: true, preserveFocus: true },
    );
  }

  private async pick<T>(question: ConnectQuestion, items: Pick<T>[], placeHolder: string): Promise<T | undefined> {
    const quickPick = vscode.window.createQuickPick<Pick<T>>();
    quickPick.title = vscode.l10n.t('Lifeline: Connect an Agent');
    quickPick.placeholder = placeHolder;
    quickPick.ignoreFocusOut = true;
    quickPick.items = items;
    try {
      return await new Promise<T | undefined>((resolve) => {
        quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]?.value));
        quickPick.onDidHide(() => resolve(undefined));
        quickPick.show();
        this.asking.fire(question);
      });
    } finally {
      quickPick.dispose();
    }
  }

  dispose(): void {
    this.provider.dispose();
    this.asking.dispose();
  }
}

function kindName(kind: AgentConfigKind): string {
  return kind === 'mcp' ? vscode.l10n.t("Lifeline's MCP server") : vscode.l10n.t("Lifeline's hooks");
}


