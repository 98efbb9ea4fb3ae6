// What every way of loading playbooks shares, without a YAML parser: the error shape and its
// `file:line: message` form, a folder's result, and how user playbooks override built-ins.
import type { Playbook } from './model';

export interface PlaybookError {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, when the problem has a place within the line. */
  column?: number;
  /** Where it ends (1-based, exclusive column), for an editor's squiggle. */
  end?: { line: number; column: number };
  /** What kind of problem (problems.ts); the editor's diagnostic code. */
  code?: string;
  message: string;
}

export function formatError(e: PlaybookError): string {
  return `${e.file}:${e.line}${e.column ? `:${e.column}` : ''}: ${e.message}`;
}

/** Where a loaded playbook came from: its file, the line it starts at and each node's line. */
export interface PlaybookOrigin {
  file: string;
  format: 'yaml' | 'markdown';
  line: number;
  nodes: Record<string, number>;
}

export interface DirResult {
  playbooks: Playbook[];
  errors: PlaybookError[];
  /** Problems that do not stop a playbook loading (placeholders nothing fills); lint shows them. */
  warnings?: PlaybookError[];
  /** By playbook id: where each of `playbooks` came from (folders read from disk). */
  origins?: Record<string, PlaybookOrigin>;
}

/** The user's playbooks override built-ins with the same id; the rest are added. */
export function mergePlaybooks(builtIn: readonly Playbook[], user: readonly Playbook[]): Playbook[] {
  const out = new Map(builtIn.map((p) => [p.id, p]));
  for (const p of user) out.set(p.id, p);
  return [...out.values()];
}
