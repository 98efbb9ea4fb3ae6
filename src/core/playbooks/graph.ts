// Structural checks on a playbook's decision graph that a schema cannot express: unique node
// ids, edges that land, every node reachable from the start, and a way to finish.
import type { Playbook, PlaybookNode } from './model';

export interface GraphError {
  /** Path into the playbook document, for locating the line. */
  path: (string | number)[];
  message: string;
}

/** The ids a node can move to next. */
export function successors(node: PlaybookNode): string[] {
  switch (node.kind) {
    case 'step':
      return node.next ? [node.next] : [];
    case 'check':
      return [node.yes, node.no, ...(node.unknown ? [node.unknown] : [])];
    case 'question':
      return node.options.map((o) => o.next);
    case 'action':
      return [...(node.next ? [node.next] : []), ...(node.onFailure ? [node.onFailure] : []), ...(node.skip ? [node.skip] : [])];
    case 'end':
      return [];
  }
}

/** Where in a node the edge to `target` is written ("next", "options.1.next"), for its line and column. */
function edgeField(node: PlaybookNode, target: string): (string | number)[] {
  if (node.kind === 'question') {
    const i = node.options.findIndex((o) => o.next === target);
    return i >= 0 ? ['options', i, 'next'] : [];
  }
  const fields = ['next', 'yes', 'no', 'unknown', 'onFailure', 'skip'] as const;
  const f = fields.find((k) => (node as Partial<Record<(typeof fields)[number], string>>)[k] === target);
  return f ? [f] : [];
}

export function startNode(p: Playbook): PlaybookNode {
  const id = p.start ?? p.nodes[0]?.id;
  const node = p.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`playbook ${p.id}: start node "${id}" does not exist`);
  return node;
}

export function checkGraph(p: Playbook): GraphError[] {
  const errors: GraphError[] = [];
  const index = new Map<string, number>();
  p.nodes.forEach((n, i) => {
    if (index.has(n.id)) errors.push({ path: ['nodes', i, 'id'], message: `node id "${n.id}" is used twice` });
    else index.set(n.id, i);
  });
  const start = p.start ?? p.nodes[0]?.id;
  if (p.start && !index.has(p.start)) errors.push({ path: ['start'], message: `start node "${p.start}" does not exist` });
  if (p.subject?.none && !index.has(p.subject.none)) errors.push({ path: ['subject', 'none'], message: `subject.none names node "${p.subject.none}", which does not exist` });

  p.nodes.forEach((n, i) => {
    for (const target of successors(n)) {
      if (!index.has(target)) errors.push({ path: ['nodes', i, ...edgeField(n, target)], message: `node "${n.id}" leads to "${target}", which does not exist` });
    }
    if ((n.kind === 'step' || n.kind === 'action') && successors(n).length === 0) {
      errors.push({ path: ['nodes', i], message: `node "${n.id}" has no next node and is not an end` });
    }
  });
  if (errors.length || !start) return errors;

  const roots = [start, ...(p.subject?.none ? [p.subject.none] : [])];
  const seen = new Set<string>(roots);
  const queue = [...roots];
  while (queue.length) {
    const node = p.nodes[index.get(queue.shift()!)!]!;
    for (const t of successors(node)) {
      if (!seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
    }
  }
  p.nodes.forEach((n, i) => {
    if (!seen.has(n.id)) errors.push({ path: ['nodes', i], message: `node "${n.id}" cannot be reached from the start` });
  });
  if (!p.nodes.some((n) => n.kind === 'end' && seen.has(n.id))) {
    errors.push({ path: ['nodes'], message: 'no end node can be reached: a recovery must be able to finish' });
  }
  return errors;
}
