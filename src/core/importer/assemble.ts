// Turns a scenario draft into a canonical playbook: steps chained in reading order, decision
// trees as questions whose options lead to the steps they name, and a closing question — did
// it work? — leading to the runbook's prevention steps and a resolved end, or to its general
// sections (escalation, principles) and an escalate end. Pure.
import { PlaybookSchema } from '../playbooks/model';
import type { Playbook, PlaybookInput, PlaybookNode } from '../playbooks/model';
import { checkGraph } from '../playbooks/graph';
import type { ScenarioDraft } from './scenarios';
import type { DecisionDraft, Draft, StepDraft } from './steps';
import { IdPool } from './slug';
import { commandInputs } from './command-inputs';
import type { PlaybookInputField } from '../playbooks/model';

/** Steps shared by every scenario of a runbook (its prevention, escalation and principle sections). */
export interface SharedChain {
  title: string;
  kind: 'prevention' | 'other';
  steps: StepDraft[];
}

export interface AssembleContext {
  id: string;
  /** "imported from <file>". */
  source: string;
  shared: SharedChain[];
}

const DEFAULT_REASON = 'imported; review';
const OUTCOME = 'outcome';
const RESOLVED = 'resolved';
const ESCALATE = 'escalate';

/** A playbook and the runbook line each of its nodes came from (nodes the importer made have none). */
export interface Assembled {
  playbook: Playbook;
  nodeLines: Record<string, number>;
}

export function assemble(draft: ScenarioDraft, ctx: AssembleContext): Assembled {
  const withTrees = build(draft, ctx, true);
  if (withTrees.ok) return { playbook: withTrees.playbook, nodeLines: withTrees.nodeLines };
  // A tree whose branches cannot be wired without stranding a step is kept as text instead.
  const linear = build(draft, ctx, false);
  if (linear.ok) return { playbook: linear.playbook, nodeLines: linear.nodeLines };
  throw new Error(`internal: the playbook imported for "${draft.title}" is invalid: ${linear.error}`);
}

type BuildResult = { ok: true; playbook: Playbook; nodeLines: Record<string, number> } | { ok: false; error: string };

function build(draft: ScenarioDraft, ctx: AssembleContext, trees: boolean): BuildResult {
  const nodeLines: Record<string, number> = {};
  const nodes = graph(trees ? draft.steps : flattenTrees(draft.steps), ctx.shared, nodeLines);
  const inputs: PlaybookInputField[] = [];
  for (const n of nodes) if (n.kind === 'step') n.commands = commandInputs(n.commands, inputs);
  const input: PlaybookInput = {
    lifeline: 1,
    id: ctx.id,
    title: draft.title,
    ...(draft.summary.length ? { summary: draft.summary.join('\n\n') } : {}),
    severity: draft.severity ?? 3,
    failureType: draft.failureType ?? 'error',
    recoverable: draft.recoverable?.value ?? true,
    recoverableReason: draft.recoverable?.reason || DEFAULT_REASON,
    source: ctx.source,
    symptoms: draft.symptoms,
    rootCauses: draft.rootCauses,
    forbidden: draft.forbidden,
    ...(inputs.length ? { inputs } : {}),
    nodes,
  };
  const parsed = PlaybookSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const errors = checkGraph(parsed.data);
  if (errors.length) return { ok: false, error: errors.map((e) => e.message).join('; ') };
  return { ok: true, playbook: parsed.data, nodeLines };
}

/** Decision trees as plain text in the step before them. */
function flattenTrees(items: Draft[]): Draft[] {
  const out: Draft[] = [];
  for (const item of items) {
    if (item.kind === 'step') {
      out.push({ ...item, body: [...item.body] });
      continue;
    }
    const text = '```text\n' + item.source + '\n```';
    const prev = out[out.length - 1];
    if (prev?.kind === 'step') prev.body.push(text);
    else out.push({ kind: 'step', title: item.tree.question, body: [text], commands: [], fromHeading: false, ...(item.line ? { line: item.line } : {}) });
  }
  return out;
}

function stepNode(s: StepDraft, id: string, next: string): PlaybookNode {
  const node: PlaybookNode = { kind: 'step', id, title: s.title, commands: s.commands, next };
  const body = s.body.filter((b) => b.trim()).join('\n\n');
  if (body) node.body = body;
  return node;
}

function graph(items: Draft[], shared: SharedChain[], lines: Record<string, number>): PlaybookNode[] {
  const ids = new IdPool([OUTCOME, RESOLVED, ESCALATE]);
  if (items.length === 0) {
    return [{ kind: 'end', id: ESCALATE, title: 'The runbook gives no steps for this: escalate', outcome: 'escalate' }];
  }
  const itemIds = items.map((it) => (it.kind === 'step' ? ids.take(it.title, 'step') : ids.take(`decide ${it.tree.question}`, 'decide')));
  items.forEach((it, i) => {
    if (it.line) lines[itemIds[i]!] = it.line;
  });
  const after = (i: number): string => itemIds[i + 1] ?? OUTCOME;
  const nextOverride = new Map<number, string>();
  const extra: PlaybookNode[][] = items.map(() => []);
  const questions = new Map<number, PlaybookNode>();

  items.forEach((item, i) => {
    if (item.kind !== 'decision') return;
    const { options, targets } = wireDecision(item, i, items, itemIds, after(i), ids, extra[i]!);
    questions.set(i, {
      kind: 'question',
      id: itemIds[i]!,
      title: item.tree.question,
      body: '```text\n' + item.source + '\n```',
      options,
    });
    // Branches that name steps in a row are alternatives: each rejoins after the last one.
    const forward = [...new Set(targets)].filter((j) => j > i).sort((a, b) => a - b);
    if (forward.length >= 2) {
      const last = forward[forward.length - 1]!;
      for (let k = 0; k < forward.length - 1; k++) {
        const endOfBranch = forward[k + 1]! - 1;
        if (endOfBranch >= forward[k]! && items[endOfBranch]?.kind === 'step') nextOverride.set(endOfBranch, after(last));
      }
    }
  });

  const nodes: PlaybookNode[] = [];
  items.forEach((item, i) => {
    if (item.kind === 'step') nodes.push(stepNode(item, itemIds[i]!, nextOverride.get(i) ?? after(i)));
    else nodes.push(questions.get(i)!);
    nodes.push(...extra[i]!);
  });

  const prevention = shared.filter((c) => c.kind === 'prevention').flatMap((c) => c.steps);
  const others = shared.filter((c) => c.kind === 'other' && c.steps.length);
  const chainNodes: PlaybookNode[] = [];
  const chain = (steps: StepDraft[], end: string): string => {
    const chainIds = steps.map((s) => ids.take(s.title, 'step'));
    steps.forEach((s, k) => {
      chainNodes.push(stepNode(s, chainIds[k]!, chainIds[k + 1] ?? end));
      if (s.line) lines[chainIds[k]!] = s.line;
    });
    return chainIds[0] ?? end;
  };
  const resolvedNext = chain(prevention, RESOLVED);
  const otherOptions = others.map((c) => ({ label: `Not resolved: ${c.title}`, next: chain(c.steps, ESCALATE) }));
  nodes.push(
    {
      kind: 'question',
      id: OUTCOME,
      title: 'Did these steps resolve the failure?',
      options: [{ label: 'Yes, resolved', next: resolvedNext }, ...otherOptions, { label: 'No, escalate', next: ESCALATE }],
    },
    ...chainNodes,
    { kind: 'end', id: RESOLVED, title: 'Resolved', outcome: 'resolved' },
    {
      kind: 'end',
      id: ESCALATE,
      title: 'Escalate to a person',
      body: 'Hand over what failed, what was tried and the current state.',
      outcome: 'escalate',
    },
  );
  return nodes;
}

/** The question's options: to the step each branch names, or to a small step holding the branch's words. */
function wireDecision(
  d: DecisionDraft,
  i: number,
  items: Draft[],
  itemIds: string[],
  fallthrough: string,
  ids: IdPool,
  extra: PlaybookNode[],
): { options: { label: string; next: string }[]; targets: number[] } {
  const targets: number[] = [];
  const options = d.tree.options.map((o) => {
    const label = `${o.answer}: ${o.target}`;
    const j = o.step === undefined ? -1 : findStep(items, o.step, i);
    if (j >= 0) {
      targets.push(j);
      return { label, next: itemIds[j]! };
    }
    const id = ids.take(o.target, 'branch');
    extra.push({ kind: 'step', id, title: o.target, commands: [], next: fallthrough });
    return { label, next: id };
  });
  return { options, targets };
}

/** The step numbered `n`, preferring one after the decision at `from`. */
function findStep(items: Draft[], n: number, from: number): number {
  const numbered = items.map((it, j) => ({ it, j })).filter(({ it, j }) => it.kind === 'step' && it.number === n && j !== from);
  return (numbered.find(({ j }) => j > from) ?? numbered[0])?.j ?? -1;
}
