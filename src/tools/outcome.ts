// What every tool returns and how errors become exit codes: the CLI prints `data` and exits with
// `exitCode`; MCP sends `data` as the result, marked as a tool error when `error` is set.
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { FixupRefused } from '../core/fixups/types';
import type { WorkspaceContext } from '../core/fixups/types';
import type { LifelineConfig } from '../core/fixups/config';
import { PathRefused } from '../core/fixups/contain';
import { openWorkspace } from '../core/engine/open-workspace';
import type { OpenOptions } from '../core/engine/open-workspace';
import type { Playbook } from '../core/playbooks/model';

export { EXIT } from './exit-codes';
import { EXIT } from './exit-codes';

/** Bad usage or unreadable input: exit 2 with its message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ToolOutcome<T = Record<string, unknown>> {
  data: T;
  exitCode: number;
  /** Set when the tool did not do what was asked (one line): an MCP tool error. */
  error?: string;
}

/** What a tool runs against, supplied by its adapter. */
export interface ToolContext {
  /** The folder relative paths (and the workspace) resolve from. */
  cwd: string;
  signal?: AbortSignal;
  /** The playbooks in force (built-ins plus the adapter's user folder). */
  playbooks(): Promise<Playbook[]>;
  /** Conventions over `.lifeline.json` (the editor's settings); none from the command line. */
  override?: () => Partial<LifelineConfig>;
}

export function exitForRefusal(code: 'unsafe' | 'busy' | 'invalid'): number {
  return code === 'busy' ? EXIT.busy : code === 'unsafe' ? EXIT.refused : EXIT.failure;
}

/** The exit code and one line for any error a tool or command raises. */
export function exitForError(e: unknown): { code: number; message: string } {
  const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  if (e instanceof UsageError || (e instanceof PathRefused && e.unreadable)) return { code: EXIT.usage, message };
  if (e instanceof FixupRefused) return { code: exitForRefusal(e.code), message };
  return { code: EXIT.failure, message };
}

/** The workspace `cwd` names (relative to the context's folder), or a usage error saying why not. */
export async function toolWorkspace(ctx: ToolContext, cwd?: string, now?: () => Date): Promise<WorkspaceContext> {
  const dir = resolve(ctx.cwd, cwd ?? '.');
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    throw new UsageError(`cannot use ${cwd ?? dir} as the workspace: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!st.isDirectory()) throw new UsageError(`cannot use ${cwd ?? dir} as the workspace: not a folder`);
  return openWorkspace(dir, openOptions(ctx, now));
}

/** How a tool opens its workspace: the context's signal and conventions, and a clock when given. */
export function openOptions(ctx: ToolContext, now?: () => Date): OpenOptions {
  return { ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.override ? { override: ctx.override() } : {}), ...(now ? { now } : {}) };
}
