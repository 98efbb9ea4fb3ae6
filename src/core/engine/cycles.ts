// The dependency-cycle scanner: builds the "waits on" graph from the rows' blocked_by and the
// specs' depends_on, reports each cycle (strongly connected component) with the edge to cut,
// and every reference to a workstream that exists nowhere.
import { isWorkstreamId } from '../fixups/names';
import { actionRef } from '../fixups/action-id';
import { SCENARIO_FOR } from '../fixups/scenarios';
import type { WorkstreamSpec } from './specs';
import type { Finding, WorkstreamRow } from '../fixups/types';
import { DONE_STATUSES } from '../fixups/workstream';

export interface Edge {
  from: string;
  to: string;
  /** Where the edge comes from: the database row, the spec, or both. */
  inRow: boolean;
  inSpec: boolean;
}

/** blocked_by as the orchestrator writes it: one id, a comma/space separated list, or a JSON array. */
export function parseBlockedBy(value: string | null): string[] {
  if (value === null) return [];
  const text = value.trim();
  if (text === '') return [];
  if (text.startsWith('[')) {
    try {
      const v = JSON.parse(text) as unknown;
      if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string').map((s) => s.trim()).filter(Boolean);
    } catch {
      // not JSON after all: fall back to the list form
    }
  }
  return text.split(/[\s,;]+/).filter(Boolean);
}


/** The edges of workstreams that still wait (completed ones block nobody and wait on nothing). */
export function buildEdges(rows: readonly WorkstreamRow[] | null, specs: readonly WorkstreamSpec[]): Edge[] {
  const done = new Set((rows ?? []).filter((r) => DONE_STATUSES.has(r.status)).map((r) => r.workstream_id));
  const edges = new Map<string, Edge>();
  const add = (from: string, to: string, src: 'row' | 'spec') => {
    if (done.has(from)) return;
    const key = `${from}\0${to}`;
    const e = edges.get(key) ?? { from, to, inRow: false, inSpec: false };
    if (src === 'row') e.inRow = true;
    else e.inSpec = true;
    edges.set(key, e);
  };
  for (const r of rows ?? []) for (const to of parseBlockedBy(r.blocked_by)) add(r.workstream_id, to, 'row');
  for (const s of specs) for (const to of s.dependsOn) add(s.id, to, 'spec');
  return [...edges.values()];
}

/** Tarjan's strongly connected components, iteratively (no recursion limit on big graphs). */
export function stronglyConnected(nodes: readonly string[], next: (n: string) => readonly string[]): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const succ = next(frame.node);
      if (frame.i < succ.length) {
        const w = succ[frame.i++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== frame.node);
        out.push(comp);
      }
    }
  }
  return out;
}

/** One simple cycle through `start` inside a component, as a node path ending where it began. */
function cycleThrough(start: string, comp: ReadonlySet<string>, next: (n: string) => readonly string[]): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length) {
    const n = queue.shift()!;
    for (const m of next(n)) {
      if (!comp.has(m)) continue;
      if (m === start) {
        const path = [n];
        while (path[0] !== start) path.unshift(prev.get(path[0]!)!);
        return [...path, start];
      }
      if (!seen.has(m)) {
        seen.add(m);
        prev.set(m, n);
        queue.push(m);
      }
    }
  }
  return [start, start];
}

/**
 * The edge to cut in a cycle: prefer one the specs do not back (a stale blocked_by), then one
 * whose source waits on nothing else (cutting it lets that workstream start now), then the one
 * whose source has the most workstreams waiting on it directly.
 */
export function suggestCut(cycle: readonly Edge[], edges: readonly Edge[]): Edge {
  const waitsOn = new Map<string, Edge[]>();
  const waitedBy = new Map<string, string[]>();
  for (const e of edges) {
    (waitsOn.get(e.from) ?? waitsOn.set(e.from, []).get(e.from)!).push(e);
    (waitedBy.get(e.to) ?? waitedBy.set(e.to, []).get(e.to)!).push(e.from);
  }
  // Cycle members share their transitive dependents; who waits on the source directly is what
  // finishing it unblocks next.
  const dependents = (n: string) => new Set(waitedBy.get(n) ?? []).size;
  const score = (e: Edge): [number, number, number] => [
    e.inSpec ? 0 : 1,
    (waitsOn.get(e.from) ?? []).length === 1 ? 1 : 0,
    dependents(e.from),
  ];
  return [...cycle].sort((a, b) => {
    const [x, y] = [score(a), score(b)];
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i]! - x[i]!;
    return a.from.localeCompare(b.from);
  })[0]!;
}

function edgeSource(e: Edge): string {
  return e.inRow && e.inSpec ? 'blocked_by and spec' : e.inRow ? 'blocked_by' : 'spec';
}

/** Findings for cycles and dangling references. */
export function scanDependencies(rows: readonly WorkstreamRow[] | null, specs: readonly WorkstreamSpec[]): Finding[] {
  const edges = buildEdges(rows, specs);
  const known = new Set([...(rows ?? []).map((r) => r.workstream_id), ...specs.map((s) => s.id)]);
  const out: Finding[] = [];
  const succ = new Map<string, string[]>();
  for (const e of edges) (succ.get(e.from) ?? succ.set(e.from, []).get(e.from)!).push(e.to);
  const next = (n: string) => succ.get(n) ?? [];
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  const edgeOf = (from: string, to: string) => edges.find((e) => e.from === from && e.to === to)!;

  for (const comp of stronglyConnected(nodes, next)) {
    const selfLoop = comp.length === 1 && next(comp[0]!).includes(comp[0]!);
    if (comp.length < 2 && !selfLoop) continue;
    const set = new Set(comp);
    const start = [...comp].sort()[0]!;
    const path = cycleThrough(start, set, next);
    const cycleEdges = path.slice(0, -1).map((n, i) => edgeOf(n, path[i + 1]!));
    const cut = suggestCut(cycleEdges, edges);
    const how = cut.inRow
      ? `clear blocked_by of ${cut.from}${cut.inSpec ? ` and drop "${cut.to}" from its spec's depends_on` : ''}`
      : `drop "${cut.to}" from depends_on in ${specs.find((s) => s.id === cut.from)?.file ?? `the spec of ${cut.from}`}`;
    const actions = cut.inRow && isWorkstreamId(cut.from) ? [actionRef('workstream.unblock', cut.from, `Clear blocked_by of ${cut.from} (cuts ${cut.from} -> ${cut.to})`)] : [];
    out.push({
      id: `dependency-cycle:${start}`,
      kind: 'dependency-cycle',
      subject: start,
      // Whose state the suggested cut changes.
      source: cut.inRow ? 'orchestration-db' : 'workstream-specs',
      scenario: SCENARIO_FOR['dependency-cycle'],
      detail: `Dependency cycle ${path.join(' -> ')}${comp.length > path.length - 1 ? ` (${comp.length} workstreams involved)` : ''}; suggest cutting ${cut.from} -> ${cut.to} (${edgeSource(cut)}): ${how}.`,
      actions,
      facts: { cycle: path.join(' -> '), size: comp.length, cutFrom: cut.from, cutTo: cut.to, cutSource: edgeSource(cut) },
    });
  }
  for (const e of edges) {
    if (known.has(e.to)) continue;
    out.push({
      id: `dangling-dependency:${e.from}->${e.to}`,
      kind: 'dangling-dependency',
      subject: e.from,
      source: e.inRow ? 'orchestration-db' : 'workstream-specs',
      scenario: SCENARIO_FOR['dangling-dependency'],
      detail: `${e.from} waits on ${JSON.stringify(e.to)}, which has no row and no spec (${edgeSource(e)}).`,
      actions: e.inRow && isWorkstreamId(e.from) ? [actionRef('workstream.unblock', e.from, `Clear blocked_by of ${e.from}`)] : [],
      facts: { missing: e.to, source: edgeSource(e) },
    });
  }
  return out;
}
