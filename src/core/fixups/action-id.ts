// Action ids read as a verb on a subject: `workstream.mark-failed:ws-15`, `worktree.prune`,
// `worktree.remove:.worktrees/agent-1-ws-1`. Parsing is strict: a known action, and a subject
// without control characters.
import { FIXUP_ACTIONS } from '../playbooks/model';
import type { FixupAction } from '../playbooks/model';
import { ACTION_EFFECTS } from './effects';
import { FixupRefused } from './types';
import type { ActionRef, ActionTarget } from './types';
import { hasControlChars } from './contain';
import { actionOf, joinActionId } from './action-name';

export function isFixupAction(s: string): s is FixupAction {
  return Object.hasOwn(FIXUP_ACTIONS, s);
}

export function formatActionId(action: FixupAction, subject?: string): string {
  return joinActionId(action, subject);
}

/** Parses an action id; throws a one-line error when it is not one, a safety refusal when its subject is hostile. */
export function parseActionId(id: string): ActionTarget {
  const action = actionOf(id);
  if (!isFixupAction(action)) throw new Error(`unknown action "${action}"; known: ${Object.keys(FIXUP_ACTIONS).join(', ')}`);
  if (action.length === id.length) return { action };
  const subject = id.slice(action.length + 1);
  if (subject.length === 0) throw new Error(`action id "${id}" has an empty subject`);
  if (hasControlChars(subject)) throw new FixupRefused(`unsafe action subject ${JSON.stringify(subject)}: contains control characters`, 'unsafe');
  return { action, subject };
}

/** The reference a finding carries for an action, titled from the action's description. */
export function actionRef(action: FixupAction, subject?: string, title?: string): ActionRef {
  return { id: formatActionId(action, subject), title: title ?? FIXUP_ACTIONS[action], effect: ACTION_EFFECTS[action] };
}
