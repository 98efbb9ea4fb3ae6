// Writes an imported playbook the way people read playbook files: keys in the model's reading
// order (id, kind and title first), long commands never folded, a header saying where it came
// from. Pure.
import { Document } from 'yaml';
import type { Playbook, PlaybookNode } from '../playbooks/model';

const PLAYBOOK_KEYS = [
  'lifeline', 'id', 'title', 'summary', 'category', 'severity', 'failureType', 'recoverable', 'recoverableReason',
  'source', 'symptoms', 'rootCauses', 'analysis', 'forbidden', 'subject', 'inputs', 'start', 'nodes',
];
const NODE_KEYS = ['id', 'kind', 'title', 'body', 'probe', 'yes', 'no', 'unknown', 'options', 'action', 'params', 'commands', 'next', 'onFailure', 'outcome'];

function ordered<T extends object>(value: T, keys: string[]): T {
  const entries = Object.entries(value);
  const rank = (k: string): number => {
    const i = keys.indexOf(k);
    return i < 0 ? keys.length : i;
  };
  return Object.fromEntries(entries.sort(([a], [b]) => rank(a) - rank(b))) as T;
}

/** The playbook with its keys (and its nodes' keys) in reading order; the same data. */
export function orderedPlaybook(p: Playbook): Playbook {
  return { ...ordered(p, PLAYBOOK_KEYS), nodes: p.nodes.map((n) => ordered<PlaybookNode>(n, NODE_KEYS)) };
}

export function playbookToYaml(p: Playbook, header: string): string {
  const doc = new Document(orderedPlaybook(p));
  doc.commentBefore = header
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n');
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}
