// What `lifeline guide` shows of a session: the walk so far, the node that waits for a person
// with its filled-in commands and options, and how to move on. One JSON shape for agents
// (`--json`) and the same facts as text for people. Reads the session; decides nothing.
import { CHECK_PROBES, FIXUP_ACTIONS } from '../core/playbooks/model';
import type { Playbook } from '../core/playbooks/model';
import { fillCommand, missingActionInputs, readable } from '../core/decisions/fill';
import type { SessionState } from '../core/decisions/state';

export interface GuideJson {
  playbook: { id: string; title: string };
  subject: { id: string; kind: string; label: string; values: Record<string, string> } | null;
  /** What the walk did so far, oldest first. */
  path: { node: string; title: string; outcome: string }[];
  progress: { steps: number; fixups: number };
  current: Record<string, unknown> & { node: string; waitsFor: string; title: string };
  actions: { action: string; ok: boolean; message: string; journalId?: string }[];
  /** Flags that move the walk on from here (empty when it is over). */
  next: string[];
}

function outcome(r: SessionState['path'][number]['result']): string {
  switch (r.type) {
    case 'check':
      return `${r.answer}${r.by === 'user' ? ' (answered)' : ''}${r.detail ? `: ${r.detail}` : ''}`;
    case 'choice':
      return r.label;
    case 'action':
      return `${r.ok ? 'done' : 'failed'}: ${r.message}`;
    case 'declined':
      return r.reason === 'skipped' ? 'skipped' : 'not run';
    case 'done':
      return 'done';
    case 'acknowledged':
      return 'done (acknowledged)';
  }
}

export function guideJson(playbook: Playbook, state: SessionState): GuideJson {
  const node = playbook.nodes.find((n) => n.id === state.current)!;
  const p = state.pending;
  const base = { node: node.id, title: readable(playbook, state, node.title), ...(node.body ? { body: readable(playbook, state, node.body) } : {}) };
  let current: GuideJson['current'];
  let next: string[] = [];
  switch (p.kind) {
    case 'subject':
      current = { ...base, title: `What is this guide about? (${playbook.subject?.kind ?? 'subject'})`, waitsFor: 'subject', options: p.options.map((o) => ({ id: o.id, label: o.label })), ...(p.problem ? { problem: p.problem } : {}) };
      next = [...p.options.map((o) => `--choose ${o.id}`), ...(p.options.length > 1 ? ['--choose all'] : [])];
      break;
    case 'step': {
      const commands = node.kind === 'step' ? node.commands.map((_c, i) => fillCommand(playbook, state, node, i)!) : [];
      const destructive = node.kind === 'step' && node.destructive === true;
      current = { ...base, waitsFor: 'step', commands, ...(destructive ? { destructive: true } : {}) };
      const missing = [...new Set(commands.flatMap((c) => c.missing.map((m) => m.name)))];
      next = [...missing.map((m) => `--input ${m}=VALUE`), destructive ? `--answer ${node.id}=yes --acknowledge` : `--answer ${node.id}=yes`, `--answer ${node.id}=no`];
      break;
    }
    case 'ask':
      current = { ...base, waitsFor: 'answer', question: CHECK_PROBES[p.probe], ...(p.detail ? { detail: p.detail } : {}) };
      next = [`--answer ${node.id}=yes`, `--answer ${node.id}=no`];
      break;
    case 'choice': {
      const options = node.kind === 'question' ? node.options.map((o) => readable(playbook, state, o.label)) : [];
      current = { ...base, waitsFor: 'choice', options };
      next = options.map((_o, i) => `--choose ${i + 1}`);
      break;
    }
    case 'confirm': {
      const inputs = missingActionInputs(playbook, state, node);
      const discards = p.preview?.discards && p.preview.discards.files.length + p.preview.discards.commits.length > 0;
      current = {
        ...base,
        waitsFor: 'confirm',
        action: p.target.action,
        description: FIXUP_ACTIONS[p.target.action],
        ...(p.target.subject !== undefined ? { target: p.target.subject } : {}),
        ...(p.preview ? { preview: p.preview } : {}),
        ...(p.blocked ? { blocked: p.blocked } : {}),
        ...(p.failure ? { failure: p.failure.message } : {}),
        ...(p.declined ? { declined: true } : {}),
        ...(inputs.length ? { inputs } : {}),
      };
      const runnable = !p.blocked && p.preview && !p.preview.refusal;
      next = [
        ...(p.blocked?.code === 'input' ? inputs.map((i) => `--input ${i.name}=VALUE`) : []),
        ...(runnable ? [`--answer ${node.id}=yes${discards ? ' --discard' : ''}`] : []),
        `--answer ${node.id}=no`,
      ];
      break;
    }
    case 'ended':
      current = { ...base, waitsFor: 'nothing', outcome: p.outcome, ...(p.reason ? { reason: p.reason } : {}), ...(p.remaining ? { remaining: p.remaining } : {}) };
      break;
    default:
      // Transient states never reach a person: the walk is run until it waits.
      current = { ...base, waitsFor: p.kind };
  }
  return {
    playbook: { id: playbook.id, title: playbook.title },
    subject: state.bound ? { id: state.bound.id, kind: state.bound.kind, label: state.bound.label, values: state.bound.values } : null,
    path: state.path.map((e) => ({ node: e.nodeId, title: e.title, outcome: outcome(e.result) })),
    progress: { steps: state.path.length, fixups: state.actions.length },
    current,
    actions: state.actions.map((a) => ({ action: a.actionId, ok: a.ok, message: a.message, ...(a.journalId ? { journalId: a.journalId } : {}) })),
    next,
  };
}
