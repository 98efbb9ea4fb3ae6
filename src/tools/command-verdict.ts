// Does a playbook forbid this command line, and why: pure over compiled rules. Kept apart from
// check-command.ts (which also asks the workspace, through git) because the Claude Code hook's
// fast path (src/hook/) bundles it and must load no git and no database.
import { forbiddenHits } from '../core/playbooks/forbidden';
import type { ForbiddenRule } from '../core/playbooks/forbidden';
import { EXIT } from './exit-codes';
import type { ToolOutcome } from './outcome';

export interface CommandVerdict {
  command: string;
  forbidden: boolean;
  /** One entry per reason (several playbooks may forbid the same thing), in playbook order. */
  rules: { playbook: string; title: string; reason: string }[];
}

/** Exit 4 (refused for safety) when forbidden, else 0. */
export function commandVerdict(rules: readonly ForbiddenRule[], command: string): ToolOutcome<CommandVerdict> {
  const hits = forbiddenHits(rules, command).map((r) => ({ playbook: r.playbookId, title: r.title, reason: r.reason }));
  const unique = hits.filter((h, i) => hits.findIndex((o) => o.reason === h.reason) === i);
  return { data: { command, forbidden: unique.length > 0, rules: unique }, exitCode: unique.length ? EXIT.refused : EXIT.ok };
}

/** The deny reason an agent sees: each playbook's own words. */
export function denyReason(v: CommandVerdict): string {
  return v.rules.map((r) => `Lifeline: the ${r.playbook} playbook forbids this command: ${r.reason}`).join('\n');
}

