// What every way of loading playbooks shares, without a YAML parser: the error shape and its
// `file:line: message` form, a folder's result, and how user playbooks override built-ins.
import type { Playbook } from './model';

export interface PlaybookError {
  file: string;
  line: number;
  message: string;
}

export function formatError(e: PlaybookError): string {
  return `${e.file}:${e.line}: ${e.message}`;
}

export interface DirResult {
  playbooks: Playbook[];
  errors: PlaybookError[];
  /** Problems that do not stop a playbook loading (placeholders nothing fills); lint shows them. */
  warnings?: PlaybookError[];
}

/** The user's playbooks override built-ins with the same id; the rest are added. */
export function mergePlaybooks(builtIn: readonly Playbook[], user: readonly Playbook[]): Playbook[] {
  const out = new Map(builtIn.map((p) => [p.id, p]));
  for (const p of user) out.set(p.id, p);
  return [...out.values()];
}
