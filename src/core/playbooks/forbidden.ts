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

/** Every forbidden entry of `playbooks`, compiled (case-insensitive). */
export function compileForbidden(playbooks: readonly Playbook[]): ForbiddenRule[] {
  return playbooks.flatMap((p) => p.forbidden.map((f) => ({ playbookId: p.id, title: p.title, reason: f.reason, regex: compilePattern(f.pattern) })));
}

/** The rules `commandLine` breaks, in playbook order. */
export function forbiddenHits(rules: readonly ForbiddenRule[], commandLine: string): ForbiddenRule[] {
  return rules.filter((r) => testBounded(r.regex, commandLine));
}
