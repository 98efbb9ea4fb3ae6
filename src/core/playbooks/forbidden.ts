// The playbooks' forbidden-command lists as one checker: which playbooks forbid a command line,
// with each pattern compiled and bounded the way every playbook pattern is (patterns.ts). Pure.
import type { Playbook } from './model';
import { compilePattern, testBounded } from './patterns';

export interface ForbiddenRule {
  playbookId: string;
  title: string;
  reason: string;
  regex: RegExp;
}

/** A forbidden entry before compiling: what the build writes to dist/forbidden.json for the fast hook. */
export interface ForbiddenEntry {
  playbookId: string;
  title: string;
  reason: string;
  pattern: string;
}

/** Every forbidden entry of `playbooks`, in playbook order. */
export function forbiddenEntries(playbooks: readonly Playbook[]): ForbiddenEntry[] {
  return playbooks.flatMap((p) => p.forbidden.map((f) => ({ playbookId: p.id, title: p.title, reason: f.reason, pattern: f.pattern })));
}

/** Entries compiled (case-insensitive), each the way every playbook pattern is. */
export function compileForbiddenEntries(entries: readonly ForbiddenEntry[]): ForbiddenRule[] {
  return entries.map((e) => ({ playbookId: e.playbookId, title: e.title, reason: e.reason, regex: compilePattern(e.pattern) }));
}

/** Every forbidden entry of `playbooks`, compiled (case-insensitive). */
export function compileForbidden(playbooks: readonly Playbook[]): ForbiddenRule[] {
  return compileForbiddenEntries(forbiddenEntries(playbooks));
}

/** The rules `commandLine` breaks, in playbook order. */
export function forbiddenHits(rules: readonly ForbiddenRule[], commandLine: string): ForbiddenRule[] {
  return rules.filter((r) => testBounded(r.regex, commandLine));
}
