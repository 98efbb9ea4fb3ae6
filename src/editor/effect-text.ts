// How the editor words a fix-up's effect (src/core/fixups/effects.ts): the tree's "Fix..." pick
// and the guide's badge say the same thing, and point to the editor's undo, not the CLI's.
// No `vscode` import (the localiser is passed in), so it is unit-tested outside the editor.
import type { Effect } from '../core/fixups/effects';

type Localize = (message: string, ...args: (string | number | boolean)[]) => string;

/** The badge on a fix-up's preview: the effect's name, then what it means for undo. */
export function effectBadge(effect: Effect, t: Localize): string {
  switch (effect) {
    case 'read-only':
      return t('Read-only: changes nothing in your workspace');
    case 'reversible':
      return t('Reversible: backed up first; the Undo button (or Lifeline: Undo a Fix-up...) restores it');
    case 'irreversible':
      return t('Irreversible: changes your workspace and cannot be undone');
    case 'destructive':
      return t('Destructive: discards the work listed below once you confirm it; what can be kept is backed up first');
  }
}

/**
 * The description beside an action in the tree's "Fix..." pick. It is said before the plan is
 * made, so it gives the most the action can do; the preview then says what this plan does.
 */
export function effectHint(effect: Effect, t: Localize): string {
  switch (effect) {
    case 'read-only':
      return t('read-only');
    case 'reversible':
      return t('reversible: backed up, can be undone');
    case 'irreversible':
      return t('irreversible: cannot be undone');
    case 'destructive':
      return t('may discard work: the preview lists it before anything runs');
  }
}
