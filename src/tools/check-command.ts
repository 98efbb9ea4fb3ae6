// lifeline_check_command: does a playbook forbid this command line, and why (the terminal
// guardrail, for agents). Pure over compiled rules, so the Claude Code hook's fast path
// (src/hook/) answers with the same function from dist/forbidden.json without loading playbooks.
import { compileForbidden, forbiddenHits } from '../core/playbooks/forbidden';
import type { ForbiddenRule } from '../core/playbooks/forbidden';
import type { ToolContext, ToolOutcome } from './outcome';

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
  return { data: { command, forbidden: unique.length > 0, rules: unique }, exitCode: unique.length ? 4 : 0 };
}

/** The deny reason an agent sees: each playbook's own words. */
export function denyReason(v: CommandVerdict): string {
  return v.rules.map((r) => `Lifeline: the ${r.playbook} playbook forbids this command: ${r.reason}`).join('\n');
}

export async function checkCommandTool(ctx: ToolContext, input: { command: string }): Promise<ToolOutcome<CommandVerdict>> {
  return commandVerdict(compileForbidden(await ctx.playbooks()), input.command);
}
