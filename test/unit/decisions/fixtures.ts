// A playbook exercising every node kind, parsed by the real loader, and a scripted workspace
// that records what the session asked of it.
import { parsePlaybook } from '../../../src/core/playbooks/loader';
import type { Playbook } from '../../../src/core/playbooks/model';
import type { CheckProbe } from '../../../src/core/playbooks/model';
import type { ActionTarget, ApplyOptions, ApplyResult, Preview } from '../../../src/core/fixups/types';
import type { ProbeResult, SessionDeps } from '../../../src/core/decisions/session';
import type { SessionState } from '../../../src/core/decisions/state';

export const WORKTREE_YAML = `lifeline: 1
id: stuck-agent
title: Agent stuck on a workstream
summary: A workstream stays "running" long after its agent stopped making progress.
category: orchestration
severity: 3
failureType: timeout
recoverable: true
recoverableReason: The work can be saved and the workstream retried.
rootCauses:
  - The agent process hangs waiting for input.
  - The agent crashed without updating the database.
analysis:
  rootCause: The agent stopped but its workstream row still says running.
  recoveryPlan: Save the agent's work, mark the workstream failed, let the orchestrator retry.
  suggestedActions: [Save work in progress, Mark the workstream failed]
nodes:
  - id: alive
    kind: check
    title: Is the agent process still alive?
    probe: process.alive
    yes: wait
    no: dirty
  - id: wait
    kind: question
    title: Has it printed anything in the last ten minutes?
    options:
      - label: Yes, it is still working
        next: resolved
      - label: No, it is silent
        next: dirty
  - id: dirty
    kind: check
    title: Does the worktree hold uncommitted work?
    probe: worktree.dirty
    yes: save
    no: mark
  - id: save
    kind: action
    title: Save the work in progress
    action: worktree.save-wip
    next: mark
    onFailure: manual
  - id: mark
    kind: action
    title: Mark the workstream failed
    action: workstream.mark-failed
    params:
      message: agent stopped responding
    next: resolved
  - id: manual
    kind: step
    title: Commit the work by hand
    body: Open a terminal in the worktree and commit.
    commands:
      - run: git commit -a -m wip
    next: mark
  - id: resolved
    kind: end
    title: The workstream can be retried
    outcome: resolved
`;

export function worktreePlaybook(): Playbook {
  const r = parsePlaybook(WORKTREE_YAML, 'stuck-agent.yaml');
  if (!r.playbook) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.playbook;
}

export function previewFor(target: ActionTarget, extra: Partial<Preview> = {}): Preview {
  return {
    title: `${target.action} ${target.subject ?? ''}`.trim(),
    git: target.action === 'worktree.save-wip' ? [['-C', '.worktrees/a', 'commit', '-a', '-m', 'wip']] : undefined,
    notes: ['undo from the journal'],
    effect: target.action === 'workstream.mark-failed' ? 'destructive' : 'reversible',
    ...extra,
  };
}

/** A workspace whose answers a test scripts, and which remembers every call. */
export class ScriptedWorkspace implements SessionDeps {
  fixupsAllowed = true;
  answers = new Map<CheckProbe, ProbeResult | Error>();
  previews = new Map<string, Preview | Error>();
  results = new Map<string, ApplyResult | Error>();
  calls: string[] = [];
  applied: { target: ActionTarget; options: ApplyOptions }[] = [];
  states: SessionState[] = [];
  clock = Date.parse('2025-01-07T12:34:56Z');

  now = (): Date => new Date((this.clock += 1000));

  onChange = (s: SessionState): void => {
    this.states.push(s);
  };

  async probe(probe: CheckProbe, subject: string | undefined): Promise<ProbeResult> {
    this.calls.push(`probe ${probe} ${subject ?? '-'}`);
    const a = this.answers.get(probe);
    if (a instanceof Error) throw a;
    return a ?? { answer: 'unknown' };
  }

  async preview(target: ActionTarget): Promise<Preview> {
    this.calls.push(`preview ${target.action} ${target.subject ?? '-'}`);
    const p = this.previews.get(target.action);
    if (p instanceof Error) throw p;
    return p ?? previewFor(target);
  }

  async apply(target: ActionTarget, options: ApplyOptions): Promise<ApplyResult> {
    this.calls.push(`apply ${target.action} ${target.subject ?? '-'}`);
    this.applied.push({ target, options });
    options.onProgress?.(`running ${target.action}`);
    const r = this.results.get(target.action);
    if (r instanceof Error) throw r;
    return r ?? { ok: true, message: `${target.action} done`, journalId: `j-${this.applied.length}` };
  }
}
