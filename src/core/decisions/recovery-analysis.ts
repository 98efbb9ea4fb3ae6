// Seed 004's recovery analysis JSON for a session: the six fields the seed prescribes (with
// `null` where it says so), plus the scenario, failure type, severity, confidence and evidence
// the classifier adds, and the fix-ups the session attempted.
import type { Playbook } from '../playbooks/model';
import type { SessionState } from './state';

export interface RecoveryAnalysis {
  root_cause: string;
  recoverable: boolean;
  recovery_plan: string | null;
  human_instructions: string | null;
  suggested_actions: string[];
  escalation_reason: string | null;
  scenario: string;
  failure_type: string;
  severity: number;
  confidence: number | null;
  evidence: string[];
  attempted_fixes: { action: string; ok: boolean; message: string; undone: boolean }[];
}

export function recoveryAnalysis(playbook: Playbook, state: SessionState): RecoveryAnalysis {
  const a = playbook.analysis;
  const ended = state.pending.kind === 'ended' ? state.pending : undefined;
  const escalated = ended?.outcome === 'escalate';
  const recoverable = playbook.recoverable && !escalated;
  const steps = playbook.nodes.flatMap((n) => (n.kind === 'step' ? [n] : []));
  const instructions = steps.map((n, i) => `${i + 1}. ${n.title}${n.commands.length ? `: ${n.commands.map((c) => c.run).join(' ; ')}` : ''}`).join('\n');
  const suggested = a?.suggestedActions.length
    ? a.suggestedActions
    : playbook.nodes.flatMap((n) => (n.kind === 'step' ? n.commands.map((c) => c.run) : n.kind === 'action' ? [n.title] : []));
  return {
    root_cause: rootCause(playbook, state),
    recoverable,
    recovery_plan: recoverable ? (a?.recoveryPlan ?? (instructions || playbook.recoverableReason)) : null,
    human_instructions: recoverable ? null : (a?.humanInstructions ?? (instructions || playbook.recoverableReason)),
    suggested_actions: [...new Set(suggested)],
    escalation_reason: recoverable ? null : (ended?.reason ?? a?.escalationReason ?? playbook.recoverableReason),
    scenario: playbook.id,
    failure_type: playbook.failureType,
    severity: playbook.severity,
    confidence: state.trigger?.confidence ?? null,
    evidence: state.trigger?.evidence.map((e) => e.text) ?? [],
    attempted_fixes: state.actions.map((x) => ({ action: x.actionId, ok: x.ok, message: x.message, undone: Boolean(x.undone) })),
  };
}

function rootCause(playbook: Playbook, state: SessionState): string {
  const base = playbook.analysis?.rootCause ?? playbook.rootCauses[0] ?? playbook.title;
  return state.subject ? `${base} (${state.subject})` : base;
}
