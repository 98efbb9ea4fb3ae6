// Claude Code's hook protocol for `lifeline hook claude-code`: the event read from stdin, and the
// answers. PreToolUse on Bash: a command a playbook forbids is denied with the playbook's own
// reason (`permissionDecision: "deny"`, exit 0: the reason goes to Claude). PostToolUse /
// PostToolUseFailure on a failed Bash: the repeated-failure detector's verdict as
// `additionalContext`. Anything else: no answer, which lets the call go on.
// Light on purpose: the PreToolUse fast path (src/hook/) bundles this, so it imports no
// classifier, git or database; the PostToolUse side (claude-hook-post.ts) does.
import { isAbsolute } from 'node:path';
import { commandVerdict, denyReason } from './command-verdict';
import type { ForbiddenRule } from '../core/playbooks/forbidden';

/** The fields Lifeline reads from an event; the rest (session_id, transcript_path ...) are ignored. */
export interface HookEvent {
  event: string;
  tool: string;
  /** The project folder: $CLAUDE_PROJECT_DIR, else the event's cwd. Absolute, or undefined. */
  cwd: string | undefined;
  command: string | undefined;
  /** For a finished tool call: the output, what it exited with, and whether it failed. */
  result?: { text: string; exitCode?: number; failed: boolean; interrupted: boolean };
}

export interface HookAnswer {
  hookSpecificOutput: Record<string, string>;
}

/** The most of a tool's output read: the failure lines are near the end. */
const MAX_TEXT = 4 * 1024 * 1024;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A folder from the event or the environment: absolute, one line, no NUL; else undefined. */
function folder(v: unknown): string | undefined {
  const s = str(v);
  return s && s.length < 4096 && isAbsolute(s) && !/[\0\r\n]/.test(s) ? s : undefined;
}

function exitCodeOf(r: Record<string, unknown>): number | undefined {
  for (const k of ['exit_code', 'exitCode', 'returncode', 'returnCode', 'code']) {
    const v = r[k];
    if (typeof v === 'number' && Number.isInteger(v)) return v;
  }
  return undefined;
}

/**
 * The tool call's outcome, read liberally: Claude Code sends PostToolUse for a call that
 * succeeded (tool_response: stdout, stderr, interrupted ...) and PostToolUseFailure for one that
 * failed (error: the message with the output, is_interrupt). A non-zero exit code or an error
 * flag in a PostToolUse response counts as a failure too, in case a version reports it there.
 */
function resultOf(e: Record<string, unknown>, event: string): HookEvent['result'] {
  if (event === 'PostToolUseFailure') {
    const text = str(e.error) ?? str(e.error_message) ?? '';
    const code = /^\s*Exit code (-?\d{1,10})\b/i.exec(text);
    return { text: text.slice(-MAX_TEXT), ...(code ? { exitCode: Number(code[1]) } : {}), failed: true, interrupted: e.is_interrupt === true };
  }
  const r = e.tool_response;
  if (typeof r === 'string') return { text: r.slice(-MAX_TEXT), failed: false, interrupted: false };
  if (typeof r !== 'object' || r === null) return undefined;
  const o = r as Record<string, unknown>;
  const exitCode = exitCodeOf(o);
  const text = [str(o.stdout), str(o.stderr), str(o.error), str(o.output)].filter((t) => t).join('\n');
  const failed = (exitCode !== undefined && exitCode !== 0) || o.is_error === true || o.isError === true || typeof o.error === 'string';
  return { text: text.slice(-MAX_TEXT), ...(exitCode !== undefined ? { exitCode } : {}), failed, interrupted: o.interrupted === true };
}

/** The event in `text`, or a one-line reason it is not one. */
export function parseHookEvent(text: string, env: NodeJS.ProcessEnv = process.env): HookEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the event is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the event is not a JSON object';
  const e = value as Record<string, unknown>;
  const event = str(e.hook_event_name);
  if (!event) return 'the event has no hook_event_name';
  const input = typeof e.tool_input === 'object' && e.tool_input !== null ? (e.tool_input as Record<string, unknown>) : {};
  const result = event.startsWith('PostToolUse') ? resultOf(e, event) : undefined;
  return {
    event,
    tool: str(e.tool_name) ?? '',
    cwd: folder(env.CLAUDE_PROJECT_DIR) ?? folder(e.cwd),
    command: str(input.command),
    ...(result ? { result } : {}),
  };
}

/** PreToolUse on Bash: a deny naming each playbook that forbids the command, else undefined (pass). */
export function preToolUseAnswer(rules: readonly ForbiddenRule[], e: HookEvent): HookAnswer | undefined {
  if (e.event !== 'PreToolUse' || e.tool !== 'Bash' || !e.command?.trim()) return undefined;
  const { data } = commandVerdict(rules, e.command);
  if (!data.forbidden) return undefined;
  return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: denyReason(data) } };
}

/** Whether the event is a finished Bash call that failed (and was not interrupted by the person). */
export function isFailedBash(e: HookEvent): boolean {
  return e.event.startsWith('PostToolUse') && e.tool === 'Bash' && e.result !== undefined && e.result.failed && !e.result.interrupted;
}
