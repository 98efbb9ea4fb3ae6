// Lifeline's agent tools as VS Code Language Model Tools (Copilot agent mode, and any chat that
// calls `vscode.lm` tools), declared in package.json's `languageModelTools`. Registration is
// light; the tools' work (AgentTools) loads with the features bundle at the first call.
import * as vscode from 'vscode';
import { CHANGING_TOOLS, TOOL_INFO, TOOL_NAMES } from '../../tools/catalog';
import type { ToolName } from '../../tools/catalog';
import type { LoadFeatures } from '../register-commands';
import { shown } from '../../core/text/shown';

export function registerLmTools(context: vscode.ExtensionContext, features: LoadFeatures, log: vscode.LogOutputChannel): void {
  // Hosts without the stable API (VS Code before 1.95, some forks) simply get no tools.
  if (typeof vscode.lm?.registerTool !== 'function') {
    log.info('this editor has no Language Model Tools API: agent tools not registered');
    return;
  }
  for (const name of TOOL_NAMES) {
    context.subscriptions.push(
      vscode.lm.registerTool<unknown>(name, {
        prepareInvocation: (options) => preparedInvocation(name, options.input),
        invoke: async (options, token) => {
          try {
            return await (await features()).agentTools.invoke(name, options.input, token);
          } catch (e) {
            log.warn(`agent tool ${name}: ${e instanceof Error ? e.message : String(e)}`);
            throw e;
          }
        },
      }),
    );
  }
}

/**
 * What chat shows before a call. The confirmation on fix and undo is chat's courtesy only (it can
 * be auto-approved by settings); the person's real yes is Run in the panel, or the undo quick pick.
 */
export function preparedInvocation(name: ToolName, input: unknown): vscode.PreparedToolInvocation {
  const invocationMessage = vscode.l10n.t('Lifeline: {0}', TOOL_INFO[name].title);
  if (!CHANGING_TOOLS.has(name) || name === 'lifeline_record_attempt') return { invocationMessage };
  const field = (key: string) => {
    const v = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[key] : undefined;
    // Shown escaped, and no backtick that could close the code span early.
    return typeof v === 'string' ? shown(v.slice(0, 300)).replace(/`/g, "'") : undefined;
  };
  const message =
    name === 'lifeline_fix'
      ? vscode.l10n.t('Lifeline opens the preview of `{0}` in its panel. Nothing changes until you press Run there.', field('action') ?? '?')
      : vscode.l10n.t('Lifeline shows what undoing `{0}` does and asks you to confirm it.', field('entry') ?? vscode.l10n.t('the latest fix-up'));
  return {
    invocationMessage,
    confirmationMessages: { title: name === 'lifeline_fix' ? vscode.l10n.t('Open this fix-up in Lifeline?') : vscode.l10n.t('Undo a Lifeline fix-up?'), message: new vscode.MarkdownString(message) },
  };
}
