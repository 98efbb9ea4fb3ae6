// lifeline_guide: the guide engine walked up to the first node that needs a person, the moves
// given applied in order, and where the walk stands (guide-view.ts). `lifeline guide --json`
// and MCP both call `guideTool`; the terminal's interactive loop shares `startGuide`.
import { resolve } from 'node:path';
import { RecoverySession, SessionError } from '../core/decisions/session';
import type { SessionDeps } from '../core/decisions/session';
import { engineFixups } from '../core/engine/workspace-service';
import { FixupRefused } from '../core/fixups/types';
import { openWorkspace } from '../core/engine/open-workspace';
import type { Playbook } from '../core/playbooks/model';
import { guideJson } from './guide-view';
import type { GuideJson } from './guide-view';
import { EXIT, UsageError, exitForError } from './outcome';
import type { ToolContext, ToolOutcome } from './outcome';

export type Move = { flag: 'answer' | 'choose' | 'input'; value: string };

export interface GuideInput {
  playbook?: string;
  /** A classification's scenario: the playbook of that id. */
  scenario?: string;
  subject?: string;
  /** Moves as the guide's `next` lists them: `--answer NODE=yes`, `--choose 2`, `--input NAME=VALUE`. */
  answers?: string[];
  cwd?: string;
}

export interface GuideFlags {
  discard: boolean;
  acknowledge: boolean;
  /** Whether a confirmed fix-up may run (the CLI: yes; MCP: never, fix-ups go through lifeline_fix). */
  fixupsAllowed: boolean;
}

/** `--answer read=yes` (or `--answer=read=yes`) as a move; a usage error otherwise. */
export function parseMove(text: string): Move {
  const m = /^--(answer|choose|input)(?:\s+|=)(.+)$/.exec(text.trim());
  if (!m) throw new UsageError(`answer "${text}": write it as the guide's next list does (--answer NODE=yes|no, --choose OPTION, --input NAME=VALUE)`);
  return { flag: m[1] as Move['flag'], value: m[2]! };
}

function waitsFor(kind: string): string {
  return { subject: 'a subject (--choose)', choice: 'a choice (--choose)', ask: 'an answer', step: 'the step to be done', confirm: 'a fix-up to be confirmed', ended: 'nothing: it is over' }[kind] ?? kind;
}

/** Applies one move to wherever the session waits; a move that does not fit is a one-line error. */
export async function applyMove(s: RecoverySession, m: Move, flags: { discard: boolean; acknowledge: boolean }): Promise<void> {
  const p = s.state.pending;
  const node = s.state.current;
  if (m.flag === 'input') {
    const eq = m.value.indexOf('=');
    if (eq <= 0) throw new SessionError(`--input ${m.value}: write NAME=VALUE`, 'invalid');
    await s.provide(m.value.slice(0, eq), m.value.slice(eq + 1));
    return;
  }
  if (m.flag === 'choose') {
    if (p.kind === 'subject') {
      await s.chooseSubject(m.value === 'all' ? null : m.value);
      return;
    }
    if (p.kind !== 'choice' || s.currentNode.kind !== 'question') throw new SessionError(`--choose ${m.value}: the guide waits at "${node}" for ${waitsFor(p.kind)}, not a choice`, 'invalid');
    const options = s.currentNode.options;
    const n = /^\d+$/.test(m.value) ? Number(m.value) - 1 : options.findIndex((o) => o.label === m.value);
    if (n < 0 || n >= options.length) throw new SessionError(`--choose ${m.value}: "${node}" has options 1 to ${options.length}`, 'invalid');
    await s.choose(node, n);
    return;
  }
  const match = /^(.+)=(yes|no)$/.exec(m.value);
  if (!match) throw new SessionError(`--answer ${m.value}: write NODE=yes or NODE=no`, 'invalid');
  const [, id, yn] = match as unknown as [string, string, 'yes' | 'no'];
  if (id !== node) throw new SessionError(`--answer ${m.value}: the guide waits at "${node}", not "${id}"`, 'stale');
  switch (p.kind) {
    case 'ask':
      await s.answer(id, yn);
      return;
    case 'step':
      if (yn === 'yes') await s.continueStep(id, { acknowledge: flags.acknowledge });
      else await s.skipStep(id);
      return;
    case 'confirm':
      if (yn === 'yes') await s.confirm(id, { discard: flags.discard });
      else await s.decline(id);
      return;
    default:
      throw new SessionError(`--answer ${m.value}: "${node}" waits for ${waitsFor(p.kind)}`, 'invalid');
  }
}

/** The playbook a guide input names, or a usage error. */
export async function guidePlaybook(ctx: ToolContext, input: Pick<GuideInput, 'playbook' | 'scenario'>): Promise<Playbook> {
  const id = input.playbook ?? input.scenario;
  if (!id) throw new UsageError('name a playbook (or a classification\'s scenario) to guide through');
  const playbook = (await ctx.playbooks()).find((p) => p.id === id);
  if (!playbook) throw new UsageError(`no playbook "${id}" (see lifeline playbooks list)`);
  return playbook;
}

/** A session on the workspace at `cwd`, walked up to the first node that needs a person. */
export async function startGuide(ctx: ToolContext, playbook: Playbook, options: { subject?: string; cwd?: string; fixupsAllowed: boolean }): Promise<RecoverySession> {
  const root = resolve(ctx.cwd, options.cwd ?? '.');
  await openWorkspace(root); // a one-line error now rather than in the middle of a walk
  const w = engineFixups({ folder: root, override: () => ({}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const deps: SessionDeps = { ...w, fixupsAllowed: options.fixupsAllowed };
  const session = RecoverySession.start(playbook, deps, { id: `guide-${Date.now()}`, ...(options.subject !== undefined ? { subject: options.subject } : {}), trigger: { source: 'manual', at: new Date().toISOString(), evidence: [] } });
  await session.advance();
  return session;
}

/** Where a walk stands, with the error a move ran into as part of the answer. */
export function guideOutcome(s: RecoverySession, failure?: unknown): ToolOutcome<GuideJson & { error?: string }> {
  // A move the session rejects is bad usage (exit 2); a fix-up it ran into a refusal keeps that refusal's code.
  const error = failure === undefined ? undefined : failure instanceof Error ? failure.message : String(failure);
  const exitCode = failure === undefined ? EXIT.ok : failure instanceof FixupRefused ? exitForError(failure).code : EXIT.usage;
  const view = guideJson(s.playbook, s.state);
  return error === undefined ? { data: view, exitCode } : { data: { ...view, error }, exitCode, error };
}

export async function guideTool(ctx: ToolContext, input: GuideInput, flags: GuideFlags, moves?: Move[]): Promise<ToolOutcome<GuideJson & { error?: string }>> {
  const playbook = await guidePlaybook(ctx, input);
  const walk = moves ?? (input.answers ?? []).map(parseMove);
  const session = await startGuide(ctx, playbook, { ...(input.subject !== undefined ? { subject: input.subject } : {}), ...(input.cwd !== undefined ? { cwd: input.cwd } : {}), fixupsAllowed: flags.fixupsAllowed });
  for (const m of walk) {
    try {
      await applyMove(session, m, flags);
    } catch (e) {
      return guideOutcome(session, e);
    }
  }
  return guideOutcome(session);
}
