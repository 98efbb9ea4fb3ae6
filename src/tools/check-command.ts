// lifeline_check_command: does a playbook forbid this command line, and why (the terminal
// guardrail, for agents). The playbooks' verdict is command-verdict.ts (pure, which the Claude
// Code hook's fast path bundles); `checkCommandTool` adds the one check that reads the
// workspace: a forced worktree removal.
import { compileForbidden } from '../core/playbooks/forbidden';
import { commandVerdict } from './command-verdict';
import type { CommandVerdict } from './command-verdict';
import { isAbsolute, resolve } from 'node:path';
import { answerProbe } from '../core/engine/probes';
import { displayPath } from '../core/fixups/contain';
import { forcedWorktreeRemoval } from '../core/shell/forced-removal';
import { diagnoseReport } from './diagnose';
import { EXIT, UsageError, toolWorkspace } from './outcome';
import type { ToolContext, ToolOutcome } from './outcome';

export { commandVerdict, denyReason } from './command-verdict';
export type { CommandVerdict } from './command-verdict';

export interface CheckCommandInput {
  command: string;
  /** Where the command would run (relative to the context's folder); a relative worktree path is read from there. */
  cwd?: string;
}

/**
 * The playbooks' verdict, and `git worktree remove --force PATH` while PATH holds uncommitted
 * work (the terminal guard's second check): --force would delete that work.
 */
export async function checkCommandTool(ctx: ToolContext, input: CheckCommandInput): Promise<ToolOutcome<CommandVerdict>> {
  const verdict = commandVerdict(compileForbidden(await ctx.playbooks()), input.command);
  const named = forcedWorktreeRemoval(input.command);
  if (!named) return verdict;
  const where = resolve(ctx.cwd, input.cwd ?? '.');
  const forced = isAbsolute(named.path) ? named.path : resolve(where, named.dir ?? '.', named.path);
  let ws;
  try {
    ws = await toolWorkspace(ctx, input.cwd);
  } catch (e) {
    // A cwd that is no folder is bad input; outside a repository there is no worktree to lose.
    if (e instanceof UsageError) throw e;
    return verdict;
  }
  const report = await diagnoseReport(ws);
  if ((await answerProbe(ws, report, 'worktree.dirty', forced)) !== 'yes') return verdict;
  const display = displayPath(ws.root, forced);
  const rules = [
    ...verdict.data.rules,
    { playbook: DIRTY_PLAYBOOK, title: (await ctx.playbooks()).find((p) => p.id === DIRTY_PLAYBOOK)?.title ?? DIRTY_PLAYBOOK, reason: `${display} has uncommitted work; --force deletes it. Save it first (lifeline fix worktree.save-wip:${display}).` },
  ];
  return { data: { ...verdict.data, forbidden: true, rules }, exitCode: EXIT.refused };
}

const DIRTY_PLAYBOOK = 'worktree-corruption';
