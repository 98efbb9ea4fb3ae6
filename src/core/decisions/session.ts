// A recovery session: walks one playbook's decision graph from its start node. Checks are
// answered by an injected probe (the user answers when it cannot tell), questions by the user,
// and fix-up actions stop at a preview that runs only after an explicit confirmation. Every
// change goes through here so the state stays consistent and serialisable.
import { ACTION_EFFECTS } from '../fixups/effects';
import type { ActionTarget, ApplyOptions, ApplyResult, Preview } from '../fixups/types';
import type { CheckProbe, Playbook, PlaybookNode } from '../playbooks/model';
import { startNode } from '../playbooks/graph';
import { parseSessionState } from './state';
import { backIndex } from './outline';
import type { ActionRecord, Pending, ProbeAnswerValue, SessionState, StepResult, Trigger } from './state';

export interface ProbeResult {
  answer: ProbeAnswerValue;
  /** What the probe saw, one line (e.g. "3 files changed"). */
  detail?: string;
}

/** What a session needs from the workspace. The editor and the CLI supply real ones. */
export interface SessionDeps {
  probe(probe: CheckProbe, subject: string | undefined): Promise<ProbeResult>;
  preview(target: ActionTarget): Promise<Preview>;
  apply(target: ActionTarget, options: ApplyOptions): Promise<ApplyResult>;
  /** False in an untrusted workspace: fix-ups are neither previewed nor run (diagnosis only). */
  fixupsAllowed: boolean;
  now?: () => Date;
  /** Called after every change of state, including the transient ones (checking, applying). */
  onChange?: (state: SessionState) => void;
}

export interface StartOptions {
  id: string;
  subject?: string;
  params?: Record<string, string>;
  trigger?: Trigger;
}

/** A request the session cannot honour now; the message is one line for the user. */
export class SessionError extends Error {
  constructor(
    message: string,
    readonly code: 'stale' | 'busy' | 'invalid',
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

export const UNTRUSTED_REASON = 'This workspace is not trusted: Lifeline only diagnoses here and runs no fix-ups.';

export class RecoverySession {
  private s: SessionState;
  private readonly nodes: Map<string, PlaybookNode>;
  private busy = false;

  private constructor(
    readonly playbook: Playbook,
    private readonly deps: SessionDeps,
    state: SessionState,
  ) {
    this.nodes = new Map(playbook.nodes.map((n) => [n.id, n]));
    this.s = state;
  }

  /** A new session at the playbook's start node. Call `advance()` to run the automatic part. */
  static start(playbook: Playbook, deps: SessionDeps, options: StartOptions): RecoverySession {
    const now = (deps.now ?? (() => new Date()))().toISOString();
    const first = startNode(playbook);
    const state: SessionState = {
      version: 1,
      id: options.id,
      playbookId: playbook.id,
      startedAt: now,
      current: first.id,
      pending: { kind: 'step' },
      path: [],
      actions: [],
      ...(options.subject !== undefined ? { subject: options.subject } : {}),
      ...(options.params ? { params: options.params } : {}),
      ...(options.trigger ? { trigger: options.trigger } : {}),
    };
    const session = new RecoverySession(playbook, deps, state);
    session.s.pending = session.enter(first);
    return session;
  }

  /**
   * A session from saved state (e.g. a webview restored after a reload). The state is validated
   * and must fit the playbook. Work that was in flight is not trusted to have finished: a check
   * or preview runs again, and a fix-up interrupted mid-run is recorded as such.
   */
  static restore(playbook: Playbook, deps: SessionDeps, saved: unknown): RecoverySession {
    const parsed = parseSessionState(saved);
    if (!parsed.ok) throw new SessionError(parsed.error, 'invalid');
    const state = parsed.state;
    if (state.playbookId !== playbook.id) {
      throw new SessionError(`saved session belongs to playbook "${state.playbookId}", not "${playbook.id}"`, 'invalid');
    }
    const session = new RecoverySession(playbook, deps, state);
    const node = session.nodes.get(state.current);
    if (!node) throw new SessionError(`saved session stands at node "${state.current}", which playbook "${playbook.id}" no longer has`, 'invalid');
    if (!fits(node, state.pending)) {
      throw new SessionError(`saved session waits for "${state.pending.kind}" at ${node.kind} node "${node.id}"`, 'invalid');
    }
    if (state.pending.kind === 'applying') {
      const target = state.pending.target;
      state.actions.push({
        nodeId: node.id,
        actionId: actionId(target),
        title: node.title,
        at: session.now(),
        ok: false,
        message: 'Interrupted before it reported back (the window reloaded). Check the journal before running it again.',
        effect: ACTION_EFFECTS[target.action],
      });
      state.pending = session.enter(node);
    }
    if (state.pending.kind === 'confirm' && node.kind === 'action' && !state.pending.blocked && !deps.fixupsAllowed) {
      // Trust can be withdrawn between a save and a restore.
      state.pending = session.enter(node);
    }
    return session;
  }

  /** A deep copy of the state, safe to hand out and serialise. */
  get state(): SessionState {
    return structuredClone(this.s);
  }

  get currentNode(): PlaybookNode {
    return this.node(this.s.current);
  }

  get isBusy(): boolean {
    return this.busy;
  }

  /** Runs the automatic part: checks answered by their probe, fix-up previews. Stops where the user is needed. */
  advance(): Promise<void> {
    return this.exclusive(() => this.runAutomatic());
  }

  /** The user did the step at `nodeId` and moves on. */
  continueStep(nodeId: string): Promise<void> {
    return this.exclusive(async () => {
      const node = this.expect(nodeId, 'step');
      if (node.kind !== 'step' || !node.next) throw new SessionError(`step "${node.id}" has nowhere to go`, 'invalid');
      this.move(node.next, { type: 'done' });
      await this.runAutomatic();
    });
  }

  /** The user answers a check its probe could not. */
  answer(nodeId: string, answer: 'yes' | 'no'): Promise<void> {
    return this.exclusive(async () => {
      const node = this.expect(nodeId, 'ask');
      if (node.kind !== 'check' || this.s.pending.kind !== 'ask') throw new SessionError(`"${nodeId}" is not a check`, 'invalid');
      const detail = this.s.pending.detail;
      this.move(answer === 'yes' ? node.yes : node.no, {
        type: 'check',
        probe: node.probe,
        answer,
        by: 'user',
        ...(detail !== undefined ? { detail } : {}),
      });
      await this.runAutomatic();
    });
  }

  /** The user picks option `index` of a question. */
  choose(nodeId: string, index: number): Promise<void> {
    return this.exclusive(async () => {
      const node = this.expect(nodeId, 'choice');
      if (node.kind !== 'question') throw new SessionError(`"${nodeId}" is not a question`, 'invalid');
      const option = Number.isInteger(index) ? node.options[index] : undefined;
      if (!option) throw new SessionError(`question "${nodeId}" has no option ${index}`, 'invalid');
      this.move(option.next, { type: 'choice', index, label: option.label });
      await this.runAutomatic();
    });
  }

  /**
   * The user confirmed the previewed fix-up: run it, record the result, follow `next` on
   * success and `onFailure` on failure. `discard` must be true when the preview lists work
   * that would be lost; it confirms discarding exactly that.
   */
  confirm(nodeId: string, options: { discard?: boolean; signal?: AbortSignal; onProgress?: (line: string) => void } = {}): Promise<ActionRecord> {
    return this.exclusive(async () => {
      const node = this.expect(nodeId, 'confirm');
      const pending = this.s.pending;
      if (node.kind !== 'action' || pending.kind !== 'confirm') throw new SessionError(`"${nodeId}" is not a fix-up`, 'invalid');
      if (!this.deps.fixupsAllowed) throw new SessionError(UNTRUSTED_REASON, 'invalid');
      if (pending.blocked) throw new SessionError(pending.blocked.reason, 'invalid');
      const preview = pending.preview;
      if (!preview) throw new SessionError('there is no preview to confirm yet', 'invalid');
      if (preview.refusal) throw new SessionError(preview.refusal.reason, 'invalid');
      const discards = preview.discards ? preview.discards.files.length + preview.discards.commits.length : 0;
      if (discards > 0 && options.discard !== true) {
        throw new SessionError(`this fix-up would discard ${discards} item(s) listed in the preview; confirm discarding them first`, 'invalid');
      }
      const target = pending.target;
      this.s.pending = { kind: 'applying', target };
      this.changed();

      let result: ApplyResult;
      try {
        result = await this.deps.apply(target, {
          discard: discards > 0 && options.discard === true,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
      } catch (e) {
        result = { ok: false, message: oneLine(e) };
      }
      const record: ActionRecord = {
        nodeId: node.id,
        actionId: actionId(target),
        title: preview.title || node.title,
        at: this.now(),
        ok: result.ok,
        message: clip(result.message, 4_000),
        effect: preview.effect,
        ...(result.output?.length ? { output: result.output.slice(0, 500).map((l) => clip(l, 10_000)) } : {}),
        ...(result.journalId ? { journalId: result.journalId } : {}),
        ...(result.handOff ? { handOff: result.handOff } : {}),
      };
      this.s.actions.push(record);
      const stepResult: StepResult = {
        type: 'action',
        ok: record.ok,
        message: record.message,
        ...(record.journalId ? { journalId: record.journalId } : {}),
      };
      const onward = result.ok ? node.next : node.onFailure;
      if (onward) {
        this.move(onward, stepResult);
      } else if (result.ok) {
        this.pushPath(node, stepResult);
        this.s.pending = { kind: 'ended', outcome: 'resolved' };
      } else {
        // Nowhere to go on failure: stay, show what happened, let the user retry or decline.
        this.s.pending = { kind: 'previewing', target };
        await this.runAutomatic();
        const after = this.s.pending as Pending;
        if (after.kind === 'confirm') after.failure = { message: record.message };
      }
      this.changed();
      await this.runAutomatic();
      return structuredClone(record);
    });
  }

  /**
   * The user will not run the fix-up (or it was refused): follow `onFailure` when the playbook
   * has one, otherwise the session ends and escalates — nothing was changed.
   */
  decline(nodeId: string, reason?: string): Promise<void> {
    return this.exclusive(async () => {
      const node = this.expect(nodeId, 'confirm');
      if (node.kind !== 'action') throw new SessionError(`"${nodeId}" is not a fix-up`, 'invalid');
      const result: StepResult = { type: 'declined', ...(reason ? { reason: clip(reason, 4_000) } : {}) };
      if (node.onFailure) {
        this.move(node.onFailure, result);
      } else {
        this.pushPath(node, result);
        this.s.pending = { kind: 'ended', outcome: 'escalate', reason: `The fix-up "${node.title}" was not run; nothing was changed.` };
        this.changed();
      }
      await this.runAutomatic();
    });
  }

  /** Asks the probe again (after the user changed something), or makes a fresh preview. */
  recheck(nodeId: string): Promise<void> {
    return this.exclusive(async () => {
      const node = this.node(nodeId);
      if (this.s.current !== nodeId) throw stale();
      if (this.s.pending.kind === 'ask' && node.kind === 'check') {
        this.s.pending = { kind: 'checking', probe: node.probe };
      } else if (this.s.pending.kind === 'confirm' && node.kind === 'action') {
        this.s.pending = this.enter(node);
      } else {
        throw new SessionError(`nothing to check again at "${nodeId}"`, 'invalid');
      }
      this.changed();
      await this.runAutomatic();
    });
  }

  /**
   * Goes back to the last node where the user decided something (automatic checks are walked
   * back through). Fix-ups already run stay run and stay in the record; undo them from the journal.
   */
  back(): Promise<void> {
    return this.exclusive(async () => {
      const i = backIndex(this.s);
      if (i < 0) throw new SessionError('there is no earlier decision to go back to', 'invalid');
      await this.returnTo(i);
    });
  }

  /**
   * Goes back to node `nodeId`, which the walk passed and where the user decided something (the
   * map's visited nodes); the path after it is dropped. Fix-ups run since then stay run, as with `back`.
   */
  goBack(nodeId: string): Promise<void> {
    return this.exclusive(async () => {
      if (this.s.pending.kind === 'applying') throw new SessionError('the guide is still working on the previous step', 'busy');
      const i = backIndex(this.s, nodeId);
      if (i < 0) throw new SessionError(`the guide has not passed a decision at "${nodeId}" to go back to`, 'invalid');
      await this.returnTo(i);
    });
  }

  /**
   * Records that a fix-up this session ran was undone from the journal. The path moves back to
   * that fix-up (what came after it assumed the change stood): call `advance()` next, which
   * previews it again. While the session is busy only the record is marked.
   */
  markUndone(journalId: string): boolean {
    const record = this.s.actions.find((a) => a.journalId === journalId && !a.undone);
    if (!record) return false;
    record.undone = this.now();
    const at = this.s.path.findIndex((p) => p.result.type === 'action' && p.result.journalId === journalId);
    if (at >= 0 && !this.busy) {
      const entry = this.s.path[at]!;
      this.s.path.length = at;
      this.s.current = entry.nodeId;
      this.s.pending = this.enter(this.node(entry.nodeId));
    }
    this.changed();
    return true;
  }

  // --- internals -------------------------------------------------------------------------

  private async returnTo(i: number): Promise<void> {
    const entry = this.s.path[i]!;
    this.s.path.length = i;
    this.s.current = entry.nodeId;
    this.s.pending = this.enter(this.node(entry.nodeId));
    this.changed();
    await this.runAutomatic();
  }

  private async runAutomatic(): Promise<void> {
    // A playbook whose checks loop into each other must not spin forever.
    let budget = this.playbook.nodes.length * 2 + 2;
    for (;;) {
      const pending = this.s.pending;
      const node = this.node(this.s.current);
      if (pending.kind === 'checking' && node.kind === 'check') {
        if (budget-- <= 0) {
          this.s.pending = { kind: 'ended', outcome: 'escalate', reason: 'The playbook kept going round its automatic checks without reaching a decision.' };
          this.changed();
          return;
        }
        this.changed();
        let r: ProbeResult;
        try {
          r = await this.deps.probe(node.probe, this.s.subject);
        } catch (e) {
          r = { answer: 'unknown', detail: `the check failed: ${oneLine(e)}` };
        }
        const detail = r.detail !== undefined ? { detail: clip(r.detail, 4_000) } : {};
        if (r.answer === 'yes' || r.answer === 'no') {
          this.move(r.answer === 'yes' ? node.yes : node.no, { type: 'check', probe: node.probe, answer: r.answer, by: 'probe', ...detail });
        } else if (node.unknown) {
          this.move(node.unknown, { type: 'check', probe: node.probe, answer: 'unknown', by: 'probe', ...detail });
        } else {
          this.s.pending = { kind: 'ask', probe: node.probe, ...detail };
        }
        continue;
      }
      if (pending.kind === 'previewing' && node.kind === 'action') {
        this.changed();
        try {
          const preview = await this.deps.preview(pending.target);
          this.s.pending = { kind: 'confirm', target: pending.target, preview: structuredClone(preview) };
        } catch (e) {
          const code = isRefusal(e) ? e.code : 'error';
          this.s.pending = { kind: 'confirm', target: pending.target, blocked: { reason: oneLine(e), code } };
        }
        continue;
      }
      this.changed();
      return;
    }
  }

  /** What the session waits for on arriving at `node`. */
  private enter(node: PlaybookNode): Pending {
    switch (node.kind) {
      case 'step':
        return { kind: 'step' };
      case 'check':
        return { kind: 'checking', probe: node.probe };
      case 'question':
        return { kind: 'choice' };
      case 'action': {
        const target = this.targetFor(node);
        if (!this.deps.fixupsAllowed) return { kind: 'confirm', target, blocked: { reason: UNTRUSTED_REASON, code: 'untrusted' } };
        return { kind: 'previewing', target };
      }
      case 'end':
        return { kind: 'ended', outcome: node.outcome };
    }
  }

  private targetFor(node: Extract<PlaybookNode, { kind: 'action' }>): ActionTarget {
    const params = { ...this.s.params, ...node.params };
    const subject = node.params?.subject ?? this.s.subject;
    delete params.subject;
    return {
      action: node.action,
      ...(subject !== undefined ? { subject } : {}),
      ...(Object.keys(params).length ? { params } : {}),
    };
  }

  private move(target: string, result: StepResult): void {
    const from = this.node(this.s.current);
    const to = this.node(target);
    this.pushPath(from, result);
    this.s.current = to.id;
    this.s.pending = this.enter(to);
    this.changed();
  }

  private pushPath(node: PlaybookNode, result: StepResult): void {
    this.s.path.push({ nodeId: node.id, kind: node.kind, title: node.title, at: this.now(), result });
    // Bounded: a loop the user walks a thousand times keeps only the recent path.
    if (this.s.path.length > 2_000) this.s.path.splice(0, this.s.path.length - 2_000);
  }

  /** The current node when it is `nodeId` and waits for `pending`; otherwise the request is stale. */
  private expect(nodeId: string, pending: Pending['kind']): PlaybookNode {
    if (this.s.current !== nodeId) throw stale();
    if (this.s.pending.kind !== pending) throw new SessionError(`the guide is not waiting for that at "${nodeId}" (it waits for: ${this.s.pending.kind})`, 'stale');
    return this.node(nodeId);
  }

  private node(id: string): PlaybookNode {
    const node = this.nodes.get(id);
    if (!node) throw new SessionError(`playbook "${this.playbook.id}" has no node "${id}"`, 'invalid');
    return node;
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy) throw new SessionError('the guide is still working on the previous step', 'busy');
    this.busy = true;
    try {
      return await work();
    } finally {
      this.busy = false;
    }
  }

  private now(): string {
    return (this.deps.now ?? (() => new Date()))().toISOString();
  }

  private changed(): void {
    this.deps.onChange?.(this.state);
  }
}

/** The id the CLI and the journal use for a target: `<action>` or `<action>:<subject>`. */
export function actionId(target: ActionTarget): string {
  return target.subject !== undefined ? `${target.action}:${target.subject}` : target.action;
}

function fits(node: PlaybookNode, pending: Pending): boolean {
  switch (pending.kind) {
    case 'step':
      return node.kind === 'step';
    case 'checking':
    case 'ask':
      return node.kind === 'check' && node.probe === pending.probe;
    case 'choice':
      return node.kind === 'question';
    case 'previewing':
    case 'confirm':
    case 'applying':
      return node.kind === 'action' && node.action === pending.target.action;
    case 'ended':
      return true;
  }
}

function stale(): SessionError {
  return new SessionError('the guide has moved on since that was shown; look at the current step', 'stale');
}

function isRefusal(e: unknown): e is Error & { code: 'unsafe' | 'busy' | 'invalid' } {
  return e instanceof Error && e.name === 'FixupRefused' && ['unsafe', 'busy', 'invalid'].includes((e as { code?: string }).code ?? '');
}

function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return clip(text.replace(/\s*\r?\n\s*/g, ' ').trim(), 4_000);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
