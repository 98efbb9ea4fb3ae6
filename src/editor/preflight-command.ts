// "Lifeline: Preflight Check": seed 001's launch checklist (the core's preflight, through the same
// facade the tree diagnoses with). Clear -> one information message; blockers -> a quick pick of
// their lines, and the one picked opens its guide. It only reads, so it runs in Restricted Mode too.
import * as vscode from 'vscode';
import { shown } from '../core/text/shown';
import type { PreflightCheck } from '../core/engine/preflight';
import type { Features } from './features';

interface BlockerItem extends vscode.QuickPickItem {
  check: PreflightCheck;
}

/** The quick pick's items: one per blocker, its line (workspace data: shown escaped) and its guide. */
export function blockerItems(checks: readonly PreflightCheck[]): BlockerItem[] {
  return checks
    .filter((c) => !c.ok)
    .map((check) => ({
      label: `$(error) ${shown(check.line)}`,
      ...(check.scenario ? { description: vscode.l10n.t('guide: {0}', shown(check.scenario)) } : {}),
      check,
    }));
}

export async function preflightCheck(f: Features): Promise<void> {
  const fixups = await f.fixups();
  const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Lifeline: preflight check...') }, () => fixups.preflight());
  f.log.info(`preflight: ${report.clear ? 'clear' : report.checks.filter((c) => !c.ok).map((c) => c.id).join(', ')}`);
  if (report.clear) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Lifeline preflight: clear. All {0} checks passed; agents may be launched.', report.checks.length));
    return;
  }
  const items = blockerItems(report.checks);
  const picked = await vscode.window.showQuickPick(items, {
    title: items.length === 1 ? vscode.l10n.t('Lifeline Preflight: 1 blocker') : vscode.l10n.t('Lifeline Preflight: {0} blockers', items.length),
    placeHolder: vscode.l10n.t('Fix these before launching agents; pick one to open its guide'),
    matchOnDescription: true,
  });
  if (!picked) return;
  const scenario = picked.check.scenario;
  if (!scenario) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Lifeline has no guide for this blocker: {0}', shown(picked.check.line)));
    return;
  }
  await f.panels.openGuide(scenario, {
    trigger: { source: 'manual', at: new Date().toISOString(), evidence: [{ text: picked.check.line, source: 'preflight' }], fingerprint: `preflight:${picked.check.id}` },
  });
}
