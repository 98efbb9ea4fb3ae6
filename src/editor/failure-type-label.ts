// Seed 004's failure types as the editor names them in titles and messages.
import * as vscode from 'vscode';
import type { FailureType } from '../core/playbooks/model';

export function failureTypeLabel(type: FailureType): string {
  switch (type) {
    case 'test_failure':
      return vscode.l10n.t('test failure');
    case 'timeout':
      return vscode.l10n.t('timeout');
    case 'git_conflict':
      return vscode.l10n.t('git conflict');
    case 'auth_failure':
      return vscode.l10n.t('authentication failure');
    case 'network_failure':
      return vscode.l10n.t('network failure');
    case 'error':
      return vscode.l10n.t('error');
  }
}
