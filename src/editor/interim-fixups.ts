// Stands in for the fix-up engine (src/core/fixups, feat/git + feat/database) until it lands:
// checks answer "unknown" (so the guide asks the user), previews are refused with the reason,
// and the diagnosis is empty. Honest rather than pretending; replaced wholesale when the
// engine's modules exist.
import * as vscode from 'vscode';
import { FixupRefused } from '../core/fixups/types';
import type { LifelineConfig } from '../core/fixups/config';
import type { WorkspaceFixups } from './workspace-fixups';

const MISSING = 'this build of Lifeline does not include the fix-up engine yet';

export function interimFixups(root: vscode.Uri | undefined, config: () => Promise<LifelineConfig>): WorkspaceFixups {
  return {
    probe: async () => ({ answer: 'unknown', detail: MISSING }),
    preview: async () => {
      throw new FixupRefused(`cannot preview: ${MISSING}`, 'invalid');
    },
    apply: async () => ({ ok: false, message: MISSING }),
    undo: async () => ({ ok: false, message: MISSING }),
    journal: async () => [],
    diagnose: async () => {
      if (!root) return { findings: [], hasDatabase: false };
      const db = vscode.Uri.joinPath(root, (await config()).database);
      const hasDatabase = await vscode.workspace.fs.stat(db).then(
        () => true,
        () => false,
      );
      return { findings: [], hasDatabase };
    },
  };
}
