// A session's playbook text with its placeholders filled: step commands (with what they still
// lack), titles and bodies as they read for the bound subject. Shared by every front-end (the
// panel's view, `lifeline guide`), so none of them fills text its own way.
import { ACTION_SUBJECT } from '../playbooks/model';
import type { Command, Playbook, PlaybookInputField, PlaybookNode } from '../playbooks/model';
import { fillForReading, fillPlaceholders } from '../playbooks/placeholders';
import type { SessionState } from './state';

/** The values placeholders take in this session: the subject's, and the user's for the rest. */
export function placeholderValues(state: SessionState): Record<string, string> {
  return { ...state.inputs, ...state.bound?.values };
}

export interface MissingInput {
  name: string;
  label: string;
  example?: string;
}

export interface FilledCommand {
  /** Its place in the playbook node (requests name commands by it). */
  index: number;
  run: string;
  shell: Command['shell'];
  description?: string;
  /** Values it still needs; while any is missing it must not go to a terminal. */
  missing: MissingInput[];
}

function inputFor(playbook: Playbook, name: string): MissingInput {
  const declared: PlaybookInputField | undefined = playbook.inputs.find((i) => i.name === name);
  return declared ? { name, label: declared.label, ...(declared.example ? { example: declared.example } : {}) } : { name, label: name };
}

/** Command `index` of step `node`, filled for this session. */
export function fillCommand(playbook: Playbook, state: SessionState, node: PlaybookNode, index: number): FilledCommand | undefined {
  const c = node.kind === 'step' ? node.commands[index] : undefined;
  if (!c) return undefined;
  const f = fillPlaceholders(c.run, placeholderValues(state));
  return { index, run: f.text, shell: c.shell, ...(c.description ? { description: readable(playbook, state, c.description) } : {}), missing: f.missing.map((n) => inputFor(playbook, n)) };
}

/** A title or body as it reads for the bound subject ("Does ws-27's branch ...?"). */
export function readable(playbook: Playbook, state: SessionState, text: string): string {
  return fillForReading(text, placeholderValues(state), (n) => playbook.inputs.find((i) => i.name === n)?.label);
}

/** The declared inputs the fix-up at `node` waits for: in its params, or as its subject. */
export function missingActionInputs(playbook: Playbook, state: SessionState, node: PlaybookNode): MissingInput[] {
  if (node.kind !== 'action') return [];
  const values = placeholderValues(state);
  const names = new Set<string>();
  for (const v of Object.values(node.params ?? {})) for (const n of fillPlaceholders(v, values).missing) names.add(n);
  const needs = ACTION_SUBJECT[node.action];
  if (needs && node.params?.subject === undefined && !values[needs]) names.add(needs);
  return [...names].filter((n) => playbook.inputs.some((i) => i.name === n)).map((n) => inputFor(playbook, n));
}
