// The Language Model Tools' work: each call validated, then run by the same src/tools function
// the CLI and `lifeline mcp` call, so a tool's JSON is what `lifeline … --json` prints. Fix and
// undo are the exceptions that need a person: a fix opens its preview in the recovery panel and
// waits for the person to press Run there (chat's own confirmation can be auto-approved by
// settings, so it is not consent); an undo asks in a quick pick. Neither runs in Restricted Mode.
import * as vscode from 'vscode';
import { CHANGING_TOOLS } from '../../tools/catalog';
import type { ToolName } from '../../tools/catalog';
import { parseToolInput } from '../../tools/inputs';
import type { ToolInput } from '../../tools/inputs';
import type { ToolContext } from '../../tools/outcome';
import { classifyTool } from '../../tools/classify';
import { guideTool } from '../../tools/guide';
import { checkCommandTool } from '../../tools/check-command';
import { recordAttemptTool } from '../../tools/attempts';
import { diagnoseTool, journalTool } from '../../tools/diagnose';
import { previewFixTool } from '../../tools/fix';
import { runUndo } from '../../tools/undo';
import type { UndoConsent } from '../../tools/undo';
import { EXIT } from '../../tools/outcome';
import type { SessionState } from '../../core/decisions/state';
import { shown } from '../../core/text/shown';
import type { PlaybookCatalog } from '../playbook-catalog';
import type { RecoveryPanel, RecoveryPanels } from '../webview/recovery-panel';
import type { WorkspaceFixups } from '../../core/engine/workspace-fixups';
import type { Settings } from '../settings';
import { workspaceRoot } from '../workspace-root';

export interface AgentToolDeps {
  catalog: PlaybookCatalog;
  panels: RecoveryPanels;
  settings: Settings;
  fixups(): Promise<WorkspaceFixups>;
  log: vscode.LogOutputChannel;
  /** How long a fix waits for the person's Run before it answers "no answer yet". */
  waitMs?: number;
}

/** What `lifeline_fix` answers once the person acted in the panel (or did not). */
export interface FixAnswer {
  action: string;
  status: 'applied' | 'failed' | 'declined' | 'closed' | 'cancelled' | 'waiting' | 'refused';
  message: string;
  journalId?: string;
  exitCode: number;
}

export class AgentTools {
  constructor(private readonly deps: AgentToolDeps) {}

  /** Runs tool `name`; its answer is the JSON text the CLI prints for the same call. */
  async invoke(name: ToolName, raw: unknown, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const parsed = parseToolInput(name, raw);
    // VS Code hands a tool whatever the model sent: a bad call is an error the model reads.
    if (!parsed.ok) throw new Error(parsed.error);
    const root = workspaceRoot();
    if (!root) throw new Error(vscode.l10n.t('Open a folder first: Lifeline works on the workspace folder.'));
    // `when: isWorkspaceTrusted` hides these, but VS Code does not check `when` on invoke.
    if (CHANGING_TOOLS.has(name) && !vscode.workspace.isTrusted) {
      throw new Error(vscode.l10n.t('Refused: this workspace is not trusted, so Lifeline only diagnoses here (no fix-ups, no undo, no recorded attempts).'));
    }
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    const ctx: ToolContext = {
      cwd: root.fsPath,
      signal: abort.signal,
      playbooks: () => this.deps.catalog.all(),
      override: () => this.deps.settings.current.orchestration,
    };
    try {
      this.deps.log.info(`agent tool ${name}`);
      return json(await this.run(name, parsed.value, ctx, token));
    } finally {
      sub.dispose();
    }
  }

  private async run(name: ToolName, input: unknown, ctx: ToolContext, token: vscode.CancellationToken): Promise<unknown> {
    switch (name) {
      case 'lifeline_classify': {
        const i = input as ToolInput<'lifeline_classify'>;
        return (await classifyTool(ctx, { text: i.text, ...(i.source ? { source: i.source } : {}) })).data;
      }
      case 'lifeline_guide':
        return (await guideTool(ctx, input as ToolInput<'lifeline_guide'>, { discard: false, acknowledge: false, fixupsAllowed: false })).data;
      case 'lifeline_check_command':
        return (await checkCommandTool(ctx, { command: (input as ToolInput<'lifeline_check_command'>).command })).data;
      case 'lifeline_record_attempt':
        return (await recordAttemptTool(ctx, input as ToolInput<'lifeline_record_attempt'>)).data;
      case 'lifeline_diagnose':
        return (await diagnoseTool(ctx)).data;
      case 'lifeline_journal':
        return (await journalTool(ctx)).data;
      case 'lifeline_preview_fix':
        return (await previewFixTool(ctx, { action: (input as ToolInput<'lifeline_preview_fix'>).action })).data;
      case 'lifeline_fix':
        return this.fix(ctx, input as ToolInput<'lifeline_fix'>, token);
      case 'lifeline_undo':
        return this.undo(ctx, input as ToolInput<'lifeline_undo'>);
    }
  }

  /** Opens the fix-up's preview in the panel and answers once the person ran it, declined or left. */
  private async fix(ctx: ToolContext, input: ToolInput<'lifeline_fix'>, token: vscode.CancellationToken): Promise<unknown> {
    const action = input.action;
    // The tool layer's preview refuses an unknown or unsafe action before anything opens.
    const preview = await previewFixTool(ctx, { action });
    if (preview.error !== undefined) return preview.data;
    if (input.previewId && preview.data.previewId !== input.previewId) {
      return refused(action, vscode.l10n.t('the plan changed since preview {0}; preview it again (nothing was opened or changed)', input.previewId));
    }
    const fixups = await this.deps.fixups();
    const diagnosis = await fixups.diagnose();
    const finding = diagnosis.findings.find((f) => f.actions.some((a) => a.id === action));
    const ref = finding?.actions.find((a) => a.id === action);
    if (!finding || !ref) return refused(action, vscode.l10n.t('Lifeline does not offer {0} for anything it finds now; call lifeline_diagnose for the fix-ups that apply', action));
    const panel = await this.deps.panels.openFixup(
      { finding, action: ref, message: vscode.l10n.t('Marked through an agent, confirmed in Lifeline: {0}', finding.detail) },
      { trigger: { source: 'agent', at: new Date().toISOString(), evidence: [{ text: finding.detail, source: 'diagnosis' }], fingerprint: `${finding.id}|${action}` } },
    );
    this.deps.log.info(`agent tool lifeline_fix: ${action} waits for Run in the panel`);
    return outcomeOf(panel, action, token, this.deps.waitMs ?? 10 * 60_000);
  }

  private async undo(ctx: ToolContext, input: ToolInput<'lifeline_undo'>): Promise<unknown> {
    const consent: UndoConsent = async (entry, lines) => {
      const label = vscode.l10n.t('Undo "{0}"', shown(entry.title));
      const pick = await vscode.window.showQuickPick(
        [
          { label: `$(discard) ${label}`, detail: shown(lines.slice(1).join(' · ')), go: true },
          { label: vscode.l10n.t('Cancel'), go: false },
        ],
        { title: vscode.l10n.t('Lifeline: an agent asks to undo a fix-up'), placeHolder: vscode.l10n.t('Undo this fix-up?'), ignoreFocusOut: true },
      );
      return pick?.go ? { yes: true } : { yes: false, error: 'not undone: the person did not confirm', exitCode: EXIT.refused };
    };
    const out = await runUndo(ctx, input.entry ? { entry: input.entry } : {}, consent, { recheck: true });
    if (out.data.result?.ok && out.data.entry) {
      (await this.deps.fixups()).invalidate();
      this.deps.panels.undone(out.data.entry);
    }
    return out.data;
  }
}

function refused(action: string, message: string): FixAnswer {
  return { action, status: 'refused', message, exitCode: EXIT.refused };
}

/** Waits on the panel for what the person does with the fix-up it shows. */
function outcomeOf(panel: RecoveryPanel, action: string, token: vscode.CancellationToken, waitMs: number): Promise<FixAnswer> {
  const before = panel.session.state.actions.length;
  return new Promise((resolve) => {
    const subs: vscode.Disposable[] = [];
    const done = (a: FixAnswer) => {
      subs.forEach((s) => s.dispose());
      clearTimeout(timer);
      resolve(a);
    };
    const check = (state: SessionState) => {
      const record = state.actions.slice(before).find((r) => r.actionId === action);
      if (record) {
        done({ action, status: record.ok ? 'applied' : 'failed', message: record.message, ...(record.journalId ? { journalId: record.journalId } : {}), exitCode: record.ok ? EXIT.ok : EXIT.failure });
      } else if (state.pending.kind === 'ended' || (state.pending.kind === 'confirm' && state.pending.declined)) {
        // Declined: the step stays in the panel, where the person may still run it later.
        done({ action, status: 'declined', message: vscode.l10n.t('The person chose not to run it: nothing was changed.'), exitCode: EXIT.refused });
      }
    };
    subs.push(panel.onDidChangeState(check));
    subs.push(panel.onDidDispose(() => done({ action, status: 'closed', message: vscode.l10n.t('The panel was closed without running it: nothing was changed.'), exitCode: EXIT.refused })));
    subs.push(token.onCancellationRequested(() => done({ action, status: 'cancelled', message: vscode.l10n.t('The request was cancelled; the preview stays open in the Lifeline panel.'), exitCode: EXIT.refused })));
    const timer = setTimeout(() => done({ action, status: 'waiting', message: vscode.l10n.t('No answer yet; the preview stays open in the Lifeline panel for the person to run.'), exitCode: EXIT.refused }), waitMs);
    check(panel.session.state);
  });
}

function json(data: unknown): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(data, null, 2))]);
}
