// lifeline_preview_fix and lifeline_fix: the exact plan of one fix-up and its digest (the
// previewId: the same plan gives the same id in any process, backup-name clocks aside), and
// applying it only after a consent the caller supplies. The CLI's consent is a person at the
// terminal or `--yes`; MCP's is a human's answer through elicitation. Either way the plan is
// bound: a previewId that is no longer the plan's digest is refused, and with `recheck` the plan
// is made again after the yes and refused if it is not the one the human saw.
import { parseActionId } from '../core/fixups/action-id';
import { buildRegistry } from '../core/engine/fixups';
import { openJournal } from '../core/fixups/journal';
import { previewDigest } from '../core/fixups/preview-digest';
import { defaultSources } from '../core/engine/sources';
import { FixupRefused } from '../core/fixups/types';
import type { ActionTarget, ApplyResult, FixupHandler, Preview, WorkspaceContext } from '../core/fixups/types';
import { EXIT, UsageError, exitForError, exitForRefusal, toolWorkspace } from './outcome';
import type { ToolContext, ToolOutcome } from './outcome';

export interface FixJson {
  action: string;
  preview?: Preview;
  digest?: string;
  previewId?: string;
  result?: ApplyResult;
  error?: string;
  exitCode: number;
}

export interface FixInput {
  action: string;
  cwd?: string;
  /** Action parameters (a commit message, a test command), never consent. */
  params?: Record<string, string>;
}

export interface FixPlan {
  id: string;
  ws: WorkspaceContext;
  target: ActionTarget;
  handler: FixupHandler;
  preview: Preview;
  digest: string;
}

export type Consent = (plan: FixPlan) => Promise<{ yes: true; discard: boolean } | { yes: false; error: string; exitCode: number }>;

export function fixOutcome(data: FixJson): ToolOutcome<FixJson> {
  return data.error === undefined ? { data, exitCode: data.exitCode } : { data, exitCode: data.exitCode, error: data.error };
}

/** The plan for `input.action`, or the outcome that says why there is none. */
export async function planFix(ctx: ToolContext, input: FixInput, started = new Date()): Promise<FixPlan | ToolOutcome<FixJson>> {
  const id = input.action;
  let target: ActionTarget;
  try {
    target = parseActionId(id);
  } catch (e) {
    if (!(e instanceof FixupRefused)) throw new UsageError((e as Error).message);
    const { code, message } = exitForError(e);
    return fixOutcome({ action: id, error: message, exitCode: code });
  }
  if (input.params && Object.keys(input.params).length) target.params = { ...input.params };
  // One clock for preview and apply, so names with a time in them (backup refs) match.
  const ws = await toolWorkspace(ctx, input.cwd, () => started);
  const handler = buildRegistry(defaultSources()).get(target.action);
  if (!handler) return fixOutcome({ action: id, error: `${target.action} is not available here (its module is not wired in this build)`, exitCode: EXIT.failure });
  let preview: Preview;
  try {
    preview = await handler.preview(ws, target);
  } catch (e) {
    const { code, message } = exitForError(e);
    return fixOutcome({ action: id, error: message, exitCode: code });
  }
  return { id, ws, target, handler, preview, digest: previewDigest(preview) };
}

export function isPlan(p: FixPlan | ToolOutcome<FixJson>): p is FixPlan {
  return 'handler' in p;
}

/** A plan that must not run now, as its refusal; else undefined. */
export function refusalOf(plan: FixPlan): ToolOutcome<FixJson> | undefined {
  const r = plan.preview.refusal;
  return r ? fixOutcome({ action: plan.id, preview: plan.preview, digest: plan.digest, error: `refused: ${r.reason}`, exitCode: exitForRefusal(r.code) }) : undefined;
}

/** lifeline_preview_fix and `lifeline fix ID --dry-run --json`. */
export function previewOutcome(plan: FixPlan): ToolOutcome<FixJson> {
  return refusalOf(plan) ?? fixOutcome({ action: plan.id, preview: plan.preview, digest: plan.digest, previewId: plan.digest, exitCode: EXIT.ok });
}

export async function previewFixTool(ctx: ToolContext, input: FixInput): Promise<ToolOutcome<FixJson>> {
  const plan = await planFix(ctx, input);
  return isPlan(plan) ? previewOutcome(plan) : plan;
}

function hasDiscards(p: Preview): boolean {
  return Boolean(p.discards && (p.discards.files.length || p.discards.commits.length));
}

export interface RunFixOptions {
  /** The plan the caller already made (the CLI prints it first). */
  plan?: FixPlan;
  /** The previewId the human saw; a plan whose digest differs is refused before asking. */
  previewId?: string;
  /** Make the plan again after the yes and refuse if it changed (the yes may take minutes). */
  recheck: boolean;
  onProgress?: (line: string) => void;
}

/** Applies one fix-up after `consent`, journaled. */
export async function runFix(ctx: ToolContext, input: FixInput, consent: Consent, options: RunFixOptions): Promise<ToolOutcome<FixJson>> {
  const started = new Date();
  const made = options.plan ?? (await planFix(ctx, input, started));
  if (!isPlan(made)) return made;
  let plan = made;
  const refused = refusalOf(plan);
  if (refused) return refused;
  const { id, preview, digest } = plan;
  if (options.previewId !== undefined && options.previewId !== digest) {
    return fixOutcome({ action: id, preview, digest, error: `refused: the plan is no longer the one previewed (plan ${digest}, not ${options.previewId}); nothing was changed. Review it again`, exitCode: EXIT.refused });
  }
  const answer = await consent(plan);
  if (!answer.yes) return fixOutcome({ action: id, preview, digest, error: answer.error, exitCode: answer.exitCode });
  if (options.recheck) {
    const again = await planFix(ctx, input, started);
    if (!isPlan(again)) return again;
    if (again.digest !== digest) {
      return fixOutcome({ action: id, preview: again.preview, digest: again.digest, error: `refused: the plan changed after it was shown (plan ${again.digest}, not ${digest}); nothing was changed. Review it again`, exitCode: EXIT.refused });
    }
    plan = again;
  }
  if (hasDiscards(plan.preview) && !answer.discard) {
    return fixOutcome({ action: id, preview: plan.preview, error: 'refused: this would leave behind the work listed above; pass --discard to confirm exactly that', exitCode: EXIT.refused });
  }
  try {
    const result = await plan.handler.apply(plan.ws, plan.target, {
      discard: answer.discard,
      confirmed: plan.preview,
      journal: openJournal(plan.ws),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: options.onProgress,
    });
    return fixOutcome({ action: id, preview: plan.preview, digest: plan.digest, result, exitCode: result.ok ? EXIT.ok : EXIT.failure });
  } catch (e) {
    const { code, message } = exitForError(e);
    return fixOutcome({ action: id, preview: plan.preview, error: message, exitCode: code });
  }
}
