// A one-step guide for running a single fix-up picked in the Stuck Workstreams view: the same
// panel, preview, confirmation, progress, journal and undo as any guide, without walking the
// whole playbook first.
import { FIXUP_ACTIONS, PlaybookSchema } from '../../core/playbooks/model';
import type { Playbook } from '../../core/playbooks/model';
import { checkGraph } from '../../core/playbooks/graph';
import { ACTION_EFFECTS, effectUndoable } from '../../core/fixups/effects';
import type { ActionRef, ActionTarget, Finding } from '../../core/fixups/types';
import { parseActionId } from '../../core/fixups/action-id';
import type { Localize } from './panel-view';

export const FIXUP_PLAYBOOK_PREFIX = 'fixup.';

export interface FixupGuideInput {
  finding: Pick<Finding, 'id' | 'kind' | 'subject' | 'detail' | 'scenario'>;
  action: ActionRef;
  /** The finding's own playbook, for severity, failure type and analysis. */
  scenario?: Playbook;
  /** A message for the actions that record one (mark failed, reverted). */
  message: string;
  /** vscode.l10n.t: the guide's own words are in the user's language. */
  t: Localize;
}

export function fixupPlaybook(input: FixupGuideInput): Playbook {
  let parsed: ActionTarget;
  try {
    parsed = parseActionId(input.action.id);
  } catch {
    throw new Error(`unknown fix-up "${input.action.id}"`);
  }
  const s = input.scenario;
  const { t } = input;
  const needsMessage = parsed.action === 'workstream.mark-failed' || parsed.action === 'workstream.mark-reverted';
  const doc = {
    lifeline: 1,
    id: `${FIXUP_PLAYBOOK_PREFIX}${parsed.action}`,
    title: input.action.title,
    summary: input.finding.detail,
    category: 'fix-up',
    severity: s?.severity ?? 3,
    failureType: s?.failureType ?? 'error',
    recoverable: s?.recoverable ?? true,
    // Undo is promised only where the action's effect allows it (a prune cannot be undone).
    recoverableReason: s?.recoverableReason ?? (effectUndoable(ACTION_EFFECTS[parsed.action]) ? t('A single fix-up, previewed and undoable.') : t('A single fix-up, previewed before it runs.')),
    rootCauses: s?.rootCauses ?? [],
    ...(s?.analysis ? { analysis: s.analysis } : {}),
    nodes: [
      {
        id: 'fix',
        kind: 'action',
        title: input.action.title,
        body: t(FIXUP_ACTIONS[parsed.action]),
        action: parsed.action,
        // The action id names its own subject (a worktree path, a branch), which may differ from the finding's.
        params: { ...(parsed.subject !== undefined ? { subject: parsed.subject } : {}), ...(needsMessage ? { message: input.message } : {}) },
        next: 'done',
        onFailure: 'failed',
      },
      { id: 'done', kind: 'end', title: t('Fix-up applied'), outcome: 'resolved' },
      {
        id: 'failed',
        kind: 'end',
        title: s ? t('Continue with the "{0}" guide', s.title) : t('The fix-up did not work'),
        outcome: 'escalate',
      },
    ],
  };
  return validFixupPlaybook(doc);
}

/** Checks a fix-up guide (also one handed back by a restored panel) before it is used. */
export function validFixupPlaybook(doc: unknown): Playbook {
  const r = PlaybookSchema.safeParse(doc);
  if (!r.success) throw new Error(`invalid fix-up guide: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
  if (!r.data.id.startsWith(FIXUP_PLAYBOOK_PREFIX) || r.data.nodes.length > 3) throw new Error('invalid fix-up guide');
  const graph = checkGraph(r.data);
  if (graph.length) throw new Error(`invalid fix-up guide: ${graph[0]!.message}`);
  return r.data;
}
