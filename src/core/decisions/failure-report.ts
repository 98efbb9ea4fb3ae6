// Seed 002's failure report, filled in from a recovery session: what was seen, what the guide
// established, which fix-ups ran with what result, where things stand and what comes next.
// Markdown, for pasting into an issue, a chat or a post-mortem.
import { effectUndoable } from '../fixups/effects';
import { SEVERITY_LEVELS } from '../playbooks/model';
import type { Playbook, PlaybookNode, Severity } from '../playbooks/model';
import type { PathEntry, SessionState } from './state';

export interface ReportOptions {
  /** When the report is written; the failure's own time comes from the session. */
  now?: Date;
}

export function failureReport(playbook: Playbook, state: SessionState, options: ReportOptions = {}): string {
  const severity = playbook.severity as Severity;
  const level = SEVERITY_LEVELS[severity];
  const ended = state.pending.kind === 'ended' ? state.pending : undefined;
  const lines: string[] = [];
  const out = (...l: string[]) => lines.push(...l);

  out(`## Failure Report: ${inline(playbook.title)}`, '');
  out('### Failure Summary');
  out(`- **Timestamp**: ${state.trigger?.at ?? state.startedAt}`);
  out(`- **Component**: ${component(playbook, state)}`);
  out(`- **Severity**: ${severity} (${level.name}) — ${level.response}`);
  out(`- **Impact**: ${impact(playbook, state)}`, '');

  out('### What Happened');
  out(playbook.summary ? inline(playbook.summary) : `Lifeline recognised this as "${inline(playbook.title)}".`);
  const trigger = state.trigger;
  if (trigger?.commandLine) out('', `Command: \`${code(trigger.commandLine)}\`${trigger.exitCode !== undefined ? ` (exit code ${trigger.exitCode})` : ''}`);
  if (trigger?.evidence.length) {
    out('', `Evidence (${sourceName(trigger.source)}${trigger.confidence !== undefined ? `, confidence ${Math.round(trigger.confidence * 100)}%` : ''}):`);
    out(...fence(trigger.evidence.map((e) => (e.line !== undefined ? `${e.line}: ${e.text}` : e.text))));
  } else {
    out('', 'No output was captured; the guide was opened by hand.');
  }
  out('');

  out('### Root Cause');
  out(rootCause(playbook, state), '');

  out('### Attempted Fixes');
  if (state.actions.length === 0) {
    out('None yet.');
  } else {
    state.actions.forEach((a, i) => {
      out(`${i + 1}. ${inline(a.title)} (\`${code(a.actionId)}\`, ${a.at})`);
      out(`   - Result: ${a.ok ? 'worked' : 'did not work'} — ${inline(a.message)}`);
      if (a.journalId) out(`   - Journal: ${a.journalId}${a.undone ? ` (undone ${a.undone})` : ''}`);
      if (a.handOff) out(`   - Handed over to the "${a.handOff}" guide`);
    });
  }
  out('');

  out('### Current State');
  out(`- System status: ${systemStatus(playbook, state)}`);
  out(`- Workaround: ${workaround(playbook, state)}`);
  out(`- Data impact: ${dataImpact(state)}`);
  if (ended?.reason) out(`- Note: ${inline(ended.reason)}`);
  out('');

  out('### Resolution Plan');
  resolutionPlan(playbook, state).forEach((step, i) => out(`${i + 1}. ${step}`));
  out('');

  out('### Lessons Learned');
  out(`- Path taken: ${pathSummary(state.path)}`);
  if (playbook.rootCauses.length > 1) out(`- Other known causes to rule out next time: ${playbook.rootCauses.slice(1).map(inline).join('; ')}`);
  out(`- Prevention: ${prevention(playbook)}`);
  out('', `_Written by Lifeline at ${(options.now ?? new Date()).toISOString()} from recovery session ${state.id} (playbook \`${playbook.id}\`)._`);
  return lines.join('\n') + '\n';
}

function component(playbook: Playbook, state: SessionState): string {
  const scenario = `${inline(playbook.title)} (\`${playbook.id}\`, ${playbook.category})`;
  return state.subject ? `${scenario} — \`${code(state.subject)}\`` : scenario;
}

function impact(playbook: Playbook, state: SessionState): string {
  const who: string[] = [];
  if (state.subject) who.push(`\`${code(state.subject)}\``);
  if (state.trigger?.commandLine) who.push(`the command \`${code(state.trigger.commandLine)}\``);
  const what = who.length ? who.join(' and ') : 'the current workspace';
  const level = playbook.severity >= 4 ? 'work is blocked until it is recovered' : playbook.severity === 3 ? 'work on it stops until it is fixed' : 'work can continue around it';
  return `${what}; ${level}.`;
}

function rootCause(playbook: Playbook, state: SessionState): string {
  const established = state.path
    .filter((p) => p.result.type === 'check' && p.result.answer !== 'unknown')
    .map((p) => checkFinding(p));
  const known = playbook.analysis?.rootCause ?? playbook.rootCauses[0];
  const head = known ? inline(known) : 'Under investigation.';
  if (!established.length) return head;
  return `${head}\n\nEstablished by the guide:\n${established.map((e) => `- ${e}`).join('\n')}`;
}

function checkFinding(p: PathEntry): string {
  if (p.result.type !== 'check') return inline(p.title);
  const by = p.result.by === 'user' ? 'answered by the user' : 'checked';
  return `${inline(p.title)} — ${p.result.answer} (${by}${p.result.detail ? `: ${inline(p.result.detail)}` : ''})`;
}

function systemStatus(playbook: Playbook, state: SessionState): string {
  if (state.pending.kind === 'ended' && state.pending.outcome === 'resolved') return 'Running (resolved by the guide)';
  if (playbook.severity >= 4) return 'Down';
  return 'Degraded';
}

function workaround(playbook: Playbook, state: SessionState): string {
  if (state.pending.kind === 'ended' && state.pending.outcome === 'resolved') return 'Not needed.';
  const worked = state.actions.filter((a) => a.ok && !a.undone);
  if (worked.length) return `Applied so far: ${worked.map((a) => inline(a.title)).join('; ')}.`;
  return playbook.recoverable ? 'None yet.' : `None: ${inline(playbook.recoverableReason)}`;
}

function dataImpact(state: SessionState): string {
  const changed = state.actions.filter((a) => a.ok && !a.undone && a.effect !== 'read-only');
  if (changed.length === 0) return 'None';
  const undoable = changed.every((a) => a.journalId && effectUndoable(a.effect));
  return `Some — ${changed.map((a) => inline(a.title)).join('; ')}${undoable ? ' (each can be undone from the Lifeline journal)' : ''}`;
}

function resolutionPlan(playbook: Playbook, state: SessionState): string[] {
  const plan: string[] = [];
  const node = playbook.nodes.find((n) => n.id === state.current);
  if (state.pending.kind === 'ended') {
    plan.push(state.pending.outcome === 'resolved' ? 'Immediate: none — the guide reached a resolution; re-run what failed to confirm.' : `Immediate: escalate to a person with this report${node && node.kind === 'end' ? ` (${inline(node.title)})` : ''}.`);
  } else if (node) {
    plan.push(`Immediate: ${nextStep(node)}`);
  }
  const a = playbook.analysis;
  const shortTerm = (playbook.recoverable ? a?.recoveryPlan : a?.humanInstructions) ?? a?.recoveryPlan ?? a?.humanInstructions;
  plan.push(`Short-term: ${shortTerm ? inline(shortTerm) : inline(playbook.recoverableReason)}`);
  plan.push(`Long-term: ${prevention(playbook)}`);
  return plan;
}

function nextStep(node: PlaybookNode): string {
  switch (node.kind) {
    case 'step':
      return `${inline(node.title)}${node.commands.length ? ` (\`${code(node.commands[0]!.run)}\`)` : ''}.`;
    case 'check':
      return `answer "${inline(node.title)}".`;
    case 'question':
      return `decide: ${inline(node.title)} (${node.options.map((o) => inline(o.label)).join(' / ')}).`;
    case 'action':
      return `${inline(node.title)} — preview it, then confirm.`;
    case 'end':
      return inline(node.title);
  }
}

function prevention(playbook: Playbook): string {
  const level = SEVERITY_LEVELS[playbook.severity as Severity];
  const causes = playbook.rootCauses.length ? ` Guard against: ${inline(playbook.rootCauses[0]!)}` : '';
  return `${level.response}${causes}`;
}

function pathSummary(path: PathEntry[]): string {
  if (path.length === 0) return 'none yet (the guide is at its first step).';
  return path
    .map((p) => {
      const r = p.result;
      switch (r.type) {
        case 'check':
          return `${inline(p.title)} → ${r.answer}`;
        case 'choice':
          return `${inline(p.title)} → ${inline(r.label)}`;
        case 'action':
          return `${inline(p.title)} → ${r.ok ? 'done' : 'failed'}`;
        case 'declined':
          return `${inline(p.title)} → not run`;
        case 'done':
          return inline(p.title);
      }
    })
    .join('; ') + '.';
}

function sourceName(source: string): string {
  return (
    { terminal: 'terminal output', task: 'task output', test: 'test report', selection: 'selected text', clipboard: 'clipboard', tree: 'workspace diagnosis', manual: 'opened by hand', agent: 'asked for by an agent' } as Record<string, string>
  )[source] ?? source;
}

/** One line of Markdown text: newlines folded. */
function inline(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}

/** Text inside an inline code span: backticks cannot close it early. */
function code(text: string): string {
  return inline(text).replace(/`/g, "'");
}

/** A fenced block long enough that the lines inside cannot close it. */
function fence(body: string[]): string[] {
  const longest = Math.max(2, ...body.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  const f = '`'.repeat(longest + 1);
  return [f, ...body.map((l) => l.replace(/\r/g, '')), f];
}
