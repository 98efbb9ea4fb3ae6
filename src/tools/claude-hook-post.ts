// The PostToolUse side of the Claude Code hook: a failed Bash call is counted by the
// repeated-failure detector (attempts.ts, the same counts `lifeline record-attempt` and the MCP
// tool keep) and answered with the scenario and the playbook's next step in its own words; from
// the third identical failure on, "change approach" with the repeated-failure playbook.
import { recordAttemptTool } from './attempts';
import type { ToolContext } from './outcome';
import { isFailedBash } from './claude-hook';
import type { HookAnswer, HookEvent } from './claude-hook';

/** The answer for a finished tool call: undefined for anything but a failed Bash call Lifeline knows or has seen repeat. */
export async function postToolUseAnswer(ctx: ToolContext, e: HookEvent): Promise<HookAnswer | undefined> {
  if (!isFailedBash(e) || !e.result!.text.trim()) return undefined;
  const { data } = await recordAttemptTool({ ...ctx, ...(e.cwd ? { cwd: e.cwd } : {}) }, {
    text: e.result!.text,
    ...(e.result!.exitCode !== undefined ? { exitCode: e.result!.exitCode } : {}),
  });
  // An unrecognised failure seen once or twice: nothing Lifeline can add to the output itself.
  if (!data.scenario && !data.escalate) return undefined;
  const playbooks = await ctx.playbooks();
  const title = playbooks.find((p) => p.id === data.scenario)?.title;
  const lines = [
    data.scenario ? `Lifeline: this failure is "${data.scenario}"${title ? ` (${title})` : ''}, attempt ${data.count} of ${data.strikes}.` : `Lifeline: the same unrecognised failure, attempt ${data.count}.`,
    data.escalate ? `Change approach. ${data.next_step}` : `Next step: ${data.next_step}`,
  ];
  if (data.guide) lines.push(`Guide: lifeline guide ${data.guide}`);
  return { hookSpecificOutput: { hookEventName: e.event, additionalContext: lines.join('\n') } };
}
