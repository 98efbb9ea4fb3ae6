// Placeholders in playbook text: `{{name}}` in titles, bodies, commands and action params. The
// session fills them from the subject it is about (ws-id, branch, worktree, ...) and from values
// the user typed for the playbook's declared `inputs`. A command with a placeholder still unfilled
// is never offered for a terminal. Pure: no I/O.
import type { Playbook, PlaybookNode } from './model';

/**
 * The values a subject can bind, with the words a title uses while it is not bound yet
 * ("Does this workstream's branch have commits main lacks?").
 */
export const SUBJECT_PLACEHOLDERS = {
  'ws-id': { meaning: 'The workstream id (ws-15).', fallback: 'this workstream' },
  'agent-id': { meaning: "The workstream's agent (agent-2).", fallback: 'its agent' },
  branch: { meaning: "The workstream's branch (ws/ws-15/agent-2).", fallback: 'its branch' },
  worktree: { meaning: "The workstream's worktree, relative to the repository root.", fallback: 'its worktree' },
  pid: { meaning: 'The process id running inside the worktree.', fallback: 'the process' },
  status: { meaning: "The workstream's status in the database.", fallback: 'its status' },
  'main-branch': { meaning: 'The main branch the workstreams merge into.', fallback: 'main' },
  test: { meaning: 'The failing test (for a test subject).', fallback: 'the failing test' },
  'log-line': { meaning: 'The output line the guide was opened on.', fallback: 'the output line' },
} as const;
export type SubjectPlaceholder = keyof typeof SUBJECT_PLACEHOLDERS;

const PATTERN = /\{\{\s*([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\s*\}\}/g;
/** Anything that looks like a placeholder, well-formed or not (for lint). */
const LOOSE = /\{\{([^{}]*)\}\}/g;

export function isSubjectPlaceholder(name: string): name is SubjectPlaceholder {
  return Object.hasOwn(SUBJECT_PLACEHOLDERS, name);
}

/** The placeholder names in `text`, in order of appearance, each once. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PATTERN)].map((m) => m[1]!))];
}

export interface Filled {
  text: string;
  /** Names with no value (the text keeps them as written). */
  missing: string[];
}

/** Fills every placeholder that has a value; the others stay as `{{name}}` and are listed. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): Filled {
  const missing: string[] = [];
  const out = text.replace(PATTERN, (whole, name: string) => {
    const v = values[name];
    if (v !== undefined && v !== '') return v;
    if (!missing.includes(name)) missing.push(name);
    return whole;
  });
  return { text: out, missing };
}

/** For reading (titles, bodies): unbound subject placeholders become words, inputs their label. */
export function fillForReading(text: string, values: Readonly<Record<string, string>>, inputLabel: (name: string) => string | undefined = () => undefined): string {
  return text.replace(PATTERN, (_whole, name: string) => {
    const v = values[name];
    if (v !== undefined && v !== '') return v;
    if (isSubjectPlaceholder(name)) return SUBJECT_PLACEHOLDERS[name].fallback;
    return inputLabel(name) ?? name;
  });
}

/** Every text of a node that may hold placeholders, with its path in the playbook document. */
function nodeTexts(node: PlaybookNode, i: number): { path: (string | number)[]; text: string; command: boolean }[] {
  const out: { path: (string | number)[]; text: string; command: boolean }[] = [{ path: ['nodes', i, 'title'], text: node.title, command: false }];
  if (node.body) out.push({ path: ['nodes', i, 'body'], text: node.body, command: false });
  if (node.kind === 'step') node.commands.forEach((c, j) => out.push({ path: ['nodes', i, 'commands', j, 'run'], text: c.run, command: true }));
  if (node.kind === 'action') for (const [k, v] of Object.entries(node.params ?? {})) out.push({ path: ['nodes', i, 'params', k], text: v, command: true });
  if (node.kind === 'question') node.options.forEach((o, j) => out.push({ path: ['nodes', i, 'options', j, 'label'], text: o.label, command: false }));
  return out;
}

export interface PlaceholderProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Placeholders no subject binds and no input declares, subject placeholders in a playbook that
 * declares no subject, malformed `{{...}}`, and old-style `<like-this>` placeholders left in a
 * command (they would be pasted into a shell as redirections).
 */
export function placeholderProblems(p: Playbook): PlaceholderProblem[] {
  const declared = new Set(p.inputs.map((x) => x.name));
  const problems: PlaceholderProblem[] = [];
  p.nodes.forEach((node, i) => {
    for (const { path, text, command } of nodeTexts(node, i)) {
      for (const m of text.matchAll(LOOSE)) {
        const name = m[1]!.trim();
        if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(name)) {
          // Other templates ({{.Names}} for docker's --format) stay as written; only a name gone wrong is flagged.
          if (/^[\w -]+$/.test(name)) problems.push({ path, message: `"{{${m[1]}}}" is not a placeholder: names are lower-case words joined by "-"` });
        } else if (isSubjectPlaceholder(name)) {
          // Declared as an input too: the user types it when no subject fills it.
          if (!p.subject && !declared.has(name) && name !== 'main-branch') problems.push({ path, message: `{{${name}}} comes from the subject, and the playbook declares no subject` });
        } else if (!declared.has(name)) {
          problems.push({ path, message: `{{${name}}} is neither filled from the subject nor declared in inputs` });
        }
      }
      if (command) {
        const old = /<([A-Za-z][\w -]*)>/.exec(text);
        if (old) problems.push({ path, message: `"<${old[1]}>" looks like a placeholder; write {{name}} (declared in inputs when the subject cannot fill it)` });
      }
    }
  });
  return problems;
}
