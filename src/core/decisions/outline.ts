// The guide's map: the whole decision graph as an outline (what was visited, where the session
// stands, the branches not taken, each check's answer and the evidence behind it) and "step N of
// about M". Pure: computed from the playbook and the session state, so every front-end (webview,
// CLI) shows the same map and none of them needs journey logic of its own.
import type { Playbook, PlaybookNode } from '../playbooks/model';
import { startNode, successors } from '../playbooks/graph';
import type { SessionState, StepResult } from './state';

/**
 * `visited`: the walk passed through it; `current`: the session stands there; `ahead`: it can
 * still be reached from here; `not-taken`: a branch the walk left behind.
 */
export type OutlineStatus = 'visited' | 'current' | 'ahead' | 'not-taken';

/** The edge that leads to an outline entry from its parent: a check's answer, an option, a fix-up's failure. */
export type OutlineVia = { kind: 'yes' | 'no' | 'unknown' | 'failure' } | { kind: 'option'; index: number; label: string };

export interface OutlineEntry {
  nodeId: string;
  kind: PlaybookNode['kind'];
  title: string;
  /** Nesting: the branches of a check, question or fix-up's failure sit one level below it. */
  depth: number;
  /** Absent when the entry just follows the one before it in a sequence. */
  via?: OutlineVia;
  /** The walk went along the edge into this entry. */
  taken: boolean;
  status: OutlineStatus;
  /**
   * The node is already listed above (a loop back, or two branches joining): a reference to that
   * entry, not expanded again.
   */
  ref: boolean;
  /** How many times the walk passed through it (loops pass more than once). */
  visits: number;
  /** What happened there the last time, with the evidence (a check's detail). */
  result?: StepResult;
  /** The user decided something there, so the session can go back to it (`goBack`). */
  canGoBack: boolean;
}

export interface Progress {
  /** The current node's place in the walk, counting every node passed (checks included). */
  step: number;
  /** `step` plus the shortest way from here to a resolved end (to any end when none is reachable). */
  total: number;
  ended: boolean;
}

/** Where the walk can go back to: the latest path entry at `nodeId` that the user decided (not an automatic check). */
export function backIndex(state: SessionState, nodeId?: string): number {
  for (let i = state.path.length - 1; i >= 0; i--) {
    const p = state.path[i]!;
    if (p.result.type === 'check' && p.result.by === 'probe') continue;
    if (nodeId === undefined || p.nodeId === nodeId) return i;
  }
  return -1;
}

export function outline(playbook: Playbook, state: SessionState): OutlineEntry[] {
  const nodes = new Map(playbook.nodes.map((n) => [n.id, n]));
  const walk = [...state.path.map((p) => p.nodeId), state.current];
  const takenEdges = new Set<string>();
  for (let i = 1; i < walk.length; i++) if (walk[i - 1] !== walk[i]) takenEdges.add(edgeKey(walk[i - 1]!, walk[i]!));
  const visits = new Map<string, number>();
  const lastResult = new Map<string, StepResult>();
  for (const p of state.path) {
    visits.set(p.nodeId, (visits.get(p.nodeId) ?? 0) + 1);
    lastResult.set(p.nodeId, p.result);
  }
  const ended = state.pending.kind === 'ended';
  const ahead = ended ? new Set<string>() : reachable(nodes, state.current);
  const goBackTo = new Set(state.path.filter((p) => !(p.result.type === 'check' && p.result.by === 'probe')).map((p) => p.nodeId));
  const canGoBack = state.pending.kind !== 'applying';

  const out: OutlineEntry[] = [];
  const listed = new Set<string>();
  // A fix-up's `next` belongs to the line it is on: its failure branch may rejoin it, and then
  // points to it instead of carrying the main line off into the branch.
  const reserved = new Set<string>();
  const emit = (id: string, depth: number, from: string | undefined, via?: OutlineVia): void => {
    const node = nodes.get(id);
    if (!node) return;
    const status: OutlineStatus = id === state.current ? 'current' : visits.has(id) ? 'visited' : ahead.has(id) ? 'ahead' : 'not-taken';
    const result = lastResult.get(id);
    const ref = listed.has(id) || reserved.has(id);
    out.push({
      nodeId: id,
      kind: node.kind,
      title: node.title,
      depth,
      ...(via ? { via } : {}),
      taken: from !== undefined ? takenEdges.has(edgeKey(from, id)) : walk.length > 0,
      status,
      ref,
      visits: visits.get(id) ?? 0,
      ...(result ? { result } : {}),
      canGoBack: canGoBack && id !== state.current && goBackTo.has(id),
    });
    if (ref) return;
    listed.add(id);
    switch (node.kind) {
      case 'step':
        if (node.next) emit(node.next, depth, id);
        return;
      case 'check':
        emit(node.yes, depth + 1, id, { kind: 'yes' });
        emit(node.no, depth + 1, id, { kind: 'no' });
        if (node.unknown) emit(node.unknown, depth + 1, id, { kind: 'unknown' });
        return;
      case 'question':
        node.options.forEach((o, index) => emit(o.next, depth + 1, id, { kind: 'option', index, label: o.label }));
        return;
      case 'action': {
        const hold = node.next !== undefined && !listed.has(node.next) && !reserved.has(node.next);
        if (hold) reserved.add(node.next!);
        if (node.onFailure) emit(node.onFailure, depth + 1, id, { kind: 'failure' });
        if (hold) reserved.delete(node.next!);
        if (node.next) emit(node.next, depth, id);
        return;
      }
      case 'end':
        return;
    }
  };
  emit(startNode(playbook).id, 0, undefined);
  return out;
}

export function progress(playbook: Playbook, state: SessionState): Progress {
  const ended = state.pending.kind === 'ended';
  // A session that ended at a fix-up (declined, or done with nowhere to go) already recorded that node in the path.
  const step = ended && state.path.at(-1)?.nodeId === state.current ? state.path.length : state.path.length + 1;
  if (ended) return { step, total: step, ended };
  const nodes = new Map(playbook.nodes.map((n) => [n.id, n]));
  return { step, total: step + distanceToEnd(nodes, state.current), ended };
}

/** Edges on the shortest way from `from` to a resolved end (to any end when no resolved one is reachable). */
function distanceToEnd(nodes: Map<string, PlaybookNode>, from: string): number {
  const dist = new Map<string, number>([[from, 0]]);
  const queue = [from];
  let anyEnd: number | undefined;
  while (queue.length) {
    const id = queue.shift()!;
    const node = nodes.get(id);
    if (!node) continue;
    const d = dist.get(id)!;
    if (node.kind === 'end') {
      if (node.outcome === 'resolved') return d;
      anyEnd ??= d;
    }
    for (const next of successors(node)) {
      if (!dist.has(next)) {
        dist.set(next, d + 1);
        queue.push(next);
      }
    }
  }
  return anyEnd ?? 0;
}

function reachable(nodes: Map<string, PlaybookNode>, from: string): Set<string> {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length) {
    const node = nodes.get(queue.shift()!);
    if (!node) continue;
    for (const next of successors(node)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}
