// "Lifeline: Undo a Fix-up...": every journal entry that can still be undone, newest first, from
// any guide, the tree or the CLI (a panel's own undo button only covers its session, and is gone
// once the panel is closed). The user sees what the undo will do and confirms before it runs.
import * as vscode from 'vscode';
import { shown } from '../core/text/shown';
import type { Features } from './features';
import type { JournalEntry } from '../core/fixups/types';
import { canUndo } from '../core/fixups/undo-state';

interface EntryItem extends vscode.QuickPickItem {
  entry: JournalEntry;
}

/** What undoing `e` does, in one line (the journal is data from disk: shown escaped). */
export function undoWhat(e: JournalEntry): string {
  return shown(undoText(e));
}

function undoText(e: JournalEntry): string {
  switch (e.undo.kind) {
    case 'git':
    case 'git-ops':
    case 'claude-squad-pause':
      return e.undo.description;
    case 'restore-db':
      return vscode.l10n.t('Restores the database from the backup taken before the change ({0}).', e.undo.backup.split(/[\\/]/).pop() ?? e.undo.backup);
    case 'restore-tool-db':
      return vscode.l10n.t('Restores {0}\'s database from the backup taken before the change ({1}).', e.undo.tool, e.undo.backup.split(/[\\/]/).pop() ?? e.undo.backup);
    case 'none':
      return e.undo.reason;
  }
}

/** The quick pick's items, newest first as given: journal titles and descriptions are data from disk, shown escaped. */
export function undoItems(entries: readonly JournalEntry[]): EntryItem[] {
  return entries.map((entry) => ({ label: shown(entry.title), description: new Date(entry.time).toLocaleString(), detail: undoWhat(entry), entry }));
}

export async function undoFromJournal(f: Features): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(vscode.l10n.t('This workspace is not trusted: Lifeline runs no fix-ups or undo here.'));
    return;
  }
  const fixups = await f.fixups();
  const entries = (await fixups.journal()).filter(canUndo).reverse();
  if (!entries.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Lifeline: no fix-up in this workspace\'s journal can be undone.'));
    return;
  }
  const items = undoItems(entries);
  const chosen = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Lifeline: Undo a Fix-up'),
    placeHolder: vscode.l10n.t('Which fix-up should be undone? (newest first)'),
    matchOnDetail: true,
  });
  if (!chosen) return;
  const undo = vscode.l10n.t('Undo "{0}"', shown(chosen.entry.title));
  const confirm = await vscode.window.showQuickPick([{ label: `$(discard) ${undo}`, detail: chosen.detail, go: true }, { label: vscode.l10n.t('Cancel'), go: false }], {
    title: vscode.l10n.t('Lifeline: Undo a Fix-up'),
    placeHolder: vscode.l10n.t('Undo this fix-up?'),
  });
  if (!confirm?.go) return;
  f.log.info(`undo from the journal: ${chosen.entry.id} (${chosen.entry.actionId})`);
  const result = await fixups.undo(chosen.entry.id);
  f.log.info(`undo ${chosen.entry.id}: ${result.ok ? 'ok' : 'failed'}: ${result.message}`);
  if (!result.ok) throw new Error(result.message);
  // A guide still open on the change shows it undone (its own undo button goes).
  f.panels.undone(chosen.entry.id);
  void vscode.window.showInformationMessage(vscode.l10n.t('Lifeline: undone — {0}', shown(result.message)));
}
