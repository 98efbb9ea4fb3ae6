// A recovery session: walks one playbook's decision graph from its start node. Checks are
// answered by an injected probe (the user answers when it cannot tell), questions by the user,
// and fix-up actions stop at a preview that runs only after an explicit confirmation. Every
// change goes through here so the state stays consistent and serialisable.
import { ACTION_EFFECTS } from '../fixups/effects';
import type { ActionTarget, ApplyOptions, ApplyResult, Preview } from '../fixups/types';
import { ACTION_SUBJECT } from '../playbooks/model';
import type { CheckProbe, Playbook, PlaybookNode, SubjectSpec } from '../playbooks/model';
import { startNode } from '../playbooks/graph';
import { fillForReading, fillPlaceholders, isSubjectPlaceholder } from '../playbooks/placeholders';
import { placeholderValues } from './fill';
import { parseSessionState } from './state';
import { backIndex } from './outline';
import type { ActionRecord, Pending, ProbeAnswerValue, Remaining, SessionState, StepResult, Subject, Trigger } from './state';
import { hasControlChars } from '../fixups/contain';
import { formatActionId } from '../fixups/action-id';
import { actionOf, joinActionId } from '../fixups/action-name';
import { clip } from '../text/strings';
import { plural } from '../text/strings';

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
  /** The subjects a playbook's `subject` spec picks out of a fresh diagnosis. Without it, guides are about whatever they were opened with. */
  subjects?(spec: SubjectSpec): Promise<Subject[]>;
  /** What the diagnosis knows about one subject; undefined when it knows nothing of it. */
  bind?(spec: SubjectSpec, id: string): Promise<Subject | undefined>;
  /** What a fresh diagnosis still finds, for the end of the guide; `mine` marks problems about `subjects`. */
  remaining?(subjects: readonly Subject[]): Promise<Remaining[]>;
  /**
   * Forget what the workspace looked like: called whenever the user acts, since they may have
   * changed it meanwhile (killed the process a check found); checks within one move share a look.
   */
  invalidate?(): void;
  now?: () => Date;
  /** Called after every change of state, including the transient ones (checking, applying). */
  onChange?: (state: SessionState) => void;
}

export interface StartOptions {
  id: string;
  subject?: string;
  params?: Record<string, string>;
  trigger?: Trigger;
  /** Take every subject the playbook finds, one by one (as "all of them" in the subject choice). */
  each?: boolean;
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
      ...(options.each && options.subject === undefined ? { each: true } : {}),
    };
    const session = new RecoverySession(playbook, deps, state);
    // A guide about a subject first finds (or binds) it; the rest waits for that.
    session.s.pending = playbook.subject && deps.subjects ? { kind: 'finding-subjects' } : session.enter(first);
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
        actionId: formatActionId(target.action, target.subject),
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

  /**
   * The user did the step at `nodeId` and moves on. A step marked destructive counts as done only
   * with `acknowledge`: the user says they ran it knowing what it throws away.
   */
  continueStep(nodeId: string, options: { acknowledge?: boolean } = {}): Promise<void> {
    return this.exclusive(async () => {
      const node = this.expect(nodeId, 'step');
      if (node.kind !== 'step' || !node.next) throw new SessionError(`step "${node.id}" has nowhere to go`, 'invalid');
      if (node.destructive && options.acknowledge !== true) {
        throw new SessionError('This step can destroy work, so "Done" alone does not count: confirm that you ran it and accept what it discards, or skip it.', 'invalid');
      }
      this.move(node.next, node.destructive ? { type: 'acknowledged' } : { type: 'done' });
      await this.runAutomatic();
    });
  }

  /** The user did not do the step at `nodeId` and moves on; the path says it was skipped. */
  skipStep(nodeId: string): Promise<void> {
    return this.exclusive(async () => {
      const node = this.expect(nodeId, 'step');
      if (node.kind !== 'step' || !node.next) throw new SessionError(`step "${node.id}" has nowhere to go`, 'invalid');
      this.move(node.next, { type: 'declined', reason: 'skipped' });
      await this.runAutomatic();
    });
  }

  /**
   * The user picks what the guide is about: one of the offered subjects, or (`null`) all of them,
   * one by one — then "the next one" moves on by itself until none is left.
   */
  chooseSubject(id: string | null): Promise<void> {
    return this.exclusive(async () => {
      const pending = this.s.pending;
      if (pending.kind !== 'subject') throw new SessionError(`the guide is not waiting for a subject (it waits for: ${pending.kind})`, 'stale');
      const pick = id === null ? pending.options[0] : pending.options.find((o) => o.id === id);
      if (!pick) throw new SessionError(id === null ? 'there is nothing to take one by one' : `"${id}" is not one of the subjects offered`, 'invalid');
      if (id === null) this.s.each = true;
      this.bindTo(pick);
      this.s.pending = this.enter(this.node(this.s.current));
      this.changed();
      await this.runAutomatic();
    });
  }

  /**
   * A value the user typed for one of the playbook's `inputs`. One line, no control characters:
   * it goes into commands offered for a terminal and into fix-up targets.
   */
  provide(name: string, value: string): Promise<void> {
    return this.exclusive(async () => {
      // Declared inputs, and subject values the subject lacks (a worktree it has none of): typed, they fill blanks only.
      if (!this.playbook.inputs.some((i) => i.name === name) && !isSubjectPlaceholder(name)) throw new SessionError(`this guide asks for no value called "${name}"`, 'invalid');
      const v = value.trim();
      if (v.length === 0 || v.length > 1_000) throw new SessionError('type a value of one line (at most 1000 characters)', 'invalid');
      if (hasControlChars(v)) throw new SessionError('the value must be one line without control characters', 'invalid');
      this.s.inputs = { ...this.s.inputs, [name]: v };
      const node = this.node(this.s.current);
      // A fix-up that waited for this value gets its preview now.
      if (this.s.pending.kind === 'confirm' && this.s.pending.blocked?.code === 'input' && node.kind === 'action') this.s.pending = this.enter(node);
      this.changed();
      await this.runAutomatic();
    });
  }

  /** The user answers a check its probe could not. */
  answer(nodeId: string, answer: 'yes' | 'no'): Promise<void> {
    return this.exclusive(async () => {
      const node = this.expect(nodeId, 'ask');
      if (node.kind !== 'check' || this.s.pending.kind !== 'ask') throw new SessionError(`"${nodeId}" is not a check`, 'invalid');
      const detail = this.s.pending.detail;
      if (node.probe === 'subject.next' && answer === 'yes') {
        const next = await this.nextSubject();
        if (!next) throw new SessionError('nothing is waiting any more: every subject of this guide is settled', 'stale');
        this.bindTo(next);
      }
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
      this.move(option.next, { type: 'choice', index, label: clip(this.readable(option.label), 1_000) });
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
        throw new SessionError(`this fix-up would discard ${plural(discards, 'item')} listed in the preview; confirm discarding them first`, 'invalid');
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
        actionId: formatActionId(target.action, target.subject),
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
      if (result.ok) this.learn(result.values);
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
   * The user will not run the fix-up. Nothing was changed, and that is not a failure: the guide
   * follows the node's `skip` edge when it has one, otherwise it stays at the step (marked
   * declined) so the user can go back, preview again or run it after all.
   */
  decline(nodeId: string, reason?: string): Promise<void> {
    return this.exclusive(async () => {
      const node = this.expect(nodeId, 'confirm');
      const pending = this.s.pending;
      if (node.kind !== 'action' || pending.kind !== 'confirm') throw new SessionError(`"${nodeId}" is not a fix-up`, 'invalid');
      if (node.skip) {
        this.move(node.skip, { type: 'declined', ...(reason ? { reason: clip(reason, 4_000) } : {}) });
      } else {
        this.s.pending = { ...pending, declined: true };
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
      if (pending.kind === 'finding-subjects') {
        this.changed();
        await this.findSubjects();
        continue;
      }
      if (pending.kind === 'verifying' && node.kind === 'end') {
        this.changed();
        let remaining: Remaining[] | undefined;
        try {
          remaining = intendedMarked(await this.deps.remaining?.(this.handled()), this.s.actions);
        } catch {
          remaining = undefined; // the end screen then says it could not check
        }
        this.s.pending = { kind: 'ended', outcome: node.outcome, ...(remaining ? { remaining: remaining.slice(0, 500) } : {}) };
        continue;
      }
      if (pending.kind === 'checking' && node.kind === 'check' && node.probe === 'subject.next') {
        this.changed();
        const next = await this.nextSubject();
        const what = this.playbook.subject?.kind ?? 'subject';
        if (!next) {
          this.move(node.no, { type: 'check', probe: node.probe, answer: 'no', by: 'probe', detail: `no other ${what} is waiting` });
        } else if (this.s.each) {
          this.bindTo(next);
          this.move(node.yes, { type: 'check', probe: node.probe, answer: 'yes', by: 'probe', detail: clip(`next: ${next.id} — ${next.label}`, 4_000) });
        } else {
          // The user picked one subject: moving on to another is theirs to say.
          this.s.pending = { kind: 'ask', probe: node.probe, detail: clip(`${next.id} is still waiting: ${next.label}`, 4_000) };
        }
        continue;
      }
      if (pending.kind === 'checking' && node.kind === 'check') {
        if (budget-- <= 0) {
          this.s.pending = { kind: 'ended', outcome: 'escalate', reason: 'The playbook kept going round its automatic checks without reaching a decision.' };
          this.changed();
          return;
        }
        this.changed();
        let r: ProbeResult;
        try {
          r = await this.deps.probe(node.probe, this.subjectFor(node));
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
        const { target, missing } = this.targetFor(node);
        if (!this.deps.fixupsAllowed) return { kind: 'confirm', target, blocked: { reason: UNTRUSTED_REASON, code: 'untrusted' } };
        if (missing) return { kind: 'confirm', target, blocked: missing };
        return { kind: 'previewing', target };
      }
      case 'end':
        return this.deps.remaining ? { kind: 'verifying' } : { kind: 'ended', outcome: node.outcome };
    }
  }

  private readable(text: string): string {
    return fillForReading(text, this.values(), (n) => this.playbook.inputs.find((i) => i.name === n)?.label);
  }

  /**
   * Values a fix-up found (the merge it blamed) fill the blanks later steps would otherwise ask
   * for; only names this playbook declares, one clean line each. The user's own typing wins.
   */
  private learn(values: Record<string, string> | undefined): void {
    for (const [name, raw] of Object.entries(values ?? {})) {
      const v = String(raw).trim();
      if (!this.playbook.inputs.some((i) => i.name === name) || this.s.inputs?.[name] !== undefined) continue;
      if (v.length === 0 || v.length > 1_000 || hasControlChars(v)) continue;
      this.s.inputs = { ...this.s.inputs, [name]: v };
    }
  }

  /** Placeholder values: the bound subject's, and what the user typed for the rest. */
  private values(): Record<string, string> {
    return placeholderValues(this.s);
  }

  /**
   * The fix-up's target, built from the subject (ws-id -> its branch, worktree, ...) and the
   * node's params with their placeholders filled; `missing` says in a sentence what it lacks.
   */
  private targetFor(node: Extract<PlaybookNode, { kind: 'action' }>): { target: ActionTarget; missing?: { reason: string; code: 'invalid' | 'input' } } {
    const values = this.values();
    const params: Record<string, string> = { ...this.s.params };
    const unfilled: string[] = [];
    for (const [k, v] of Object.entries(node.params ?? {})) {
      const f = fillPlaceholders(v, values);
      params[k] = f.text;
      unfilled.push(...f.missing);
    }
    const explicit = params.subject;
    delete params.subject;
    const needs = ACTION_SUBJECT[node.action];
    let subject = explicit;
    if (subject === undefined && needs) subject = values[needs];
    // Guides that declare no subject act on whatever they were opened with (one-step fix-ups, old playbooks).
    if (subject === undefined && needs && !this.playbook.subject) subject = this.s.subject;
    const target: ActionTarget = { action: node.action, ...(subject !== undefined ? { subject } : {}), ...(Object.keys(params).length ? { params } : {}) };
    const wanted = [...new Set([...unfilled, ...(needs && subject === undefined ? [needs] : [])])];
    if (wanted.length === 0) return { target };
    const input = wanted.find((n) => this.playbook.inputs.some((i) => i.name === n));
    if (input) return { target, missing: { reason: `This fix-up needs a value first: ${this.playbook.inputs.find((i) => i.name === input)!.label}.`, code: 'input' } };
    return { target, missing: { reason: this.lacks(wanted[0]!), code: 'invalid' } };
  }

  /** Why the subject cannot supply `name`, in words for a person. */
  private lacks(name: string): string {
    const b = this.s.bound;
    const what = NEEDS[name] ?? name;
    if (!b) return `This fix-up needs ${what}, and the guide is not about one: open it from the item in the Lifeline view, or start it again and pick what it is about.`;
    if (name === 'worktree' && b.values['worktree-gone']) return `${b.id}'s worktree ${b.values['worktree-gone']} is gone from disk, so there is nothing to act on here.`;
    return `This fix-up needs ${what}, and Lifeline finds none for ${b.id}.`;
  }

  /** The subject a check asks about: the bound subject, else whatever the guide was opened with. */
  private subjectFor(_node: PlaybookNode): string | undefined {
    return this.s.bound?.id ?? this.s.subject;
  }

  private bindTo(subject: Subject): void {
    this.s.bound = structuredClone(subject);
    this.s.subject = subject.id;
    const settled = (this.s.settled ?? []).filter((x) => x.id !== subject.id);
    settled.push(structuredClone(subject));
    this.s.settled = settled.slice(-500);
  }

  /** Every subject the guide has taken up (for the end's "what is left"). */
  private handled(): Subject[] {
    return this.s.settled ?? (this.s.bound ? [this.s.bound] : []);
  }

  /** The first candidate the guide has not taken up yet, from a fresh diagnosis. */
  private async nextSubject(): Promise<Subject | undefined> {
    const spec = this.playbook.subject;
    if (!spec || !this.deps.subjects) return undefined;
    const done = new Set((this.s.settled ?? []).map((x) => x.id));
    return (await this.deps.subjects(spec)).find((c) => !done.has(c.id));
  }

  /** Binds the subject the guide was opened with, or lists the candidates for the user to pick. */
  private async findSubjects(): Promise<void> {
    const spec = this.playbook.subject!;
    const first = startNode(this.playbook);
    let problem: string | undefined;
    try {
      if (this.s.subject !== undefined && this.deps.bind) {
        const bound = await this.deps.bind(spec, this.s.subject);
        if (bound) {
          this.bindTo(bound);
          this.s.current = first.id;
          this.s.pending = this.enter(first);
          return;
        }
        problem = `Lifeline finds nothing about "${this.s.subject}" in the database or among the worktrees; pick what this guide is about.`;
      }
      if (!spec.ask && problem === undefined) {
        // A loop over subjects: the guide starts about nothing (at `none`) and its subject.next checks take them up.
        const at = spec.none ? this.node(spec.none) : first;
        this.s.each = true;
        this.s.current = at.id;
        this.s.pending = this.enter(at);
        return;
      }
      const options = (await this.deps.subjects?.(spec)) ?? [];
      if (options.length === 0 && !spec.none) {
        const what = [...spec.findings, ...spec.status].join(', ');
        this.s.pending = { kind: 'subject', options: [], problem: problem ?? `Lifeline finds no ${spec.kind} this guide is about${what ? ` (${what})` : ''}. Open it from an item in the Lifeline view when there is one.` };
        return;
      }
      if (options.length === 0) {
        // Nothing needs the per-subject part: start where the playbook says (its `none`), about nothing in particular.
        const at = spec.none ? this.node(spec.none) : first;
        delete this.s.subject;
        this.s.current = at.id;
        this.s.pending = this.enter(at);
        return;
      }
      if (this.s.each && problem === undefined) {
        // Chosen before the guide opened ("all of them, one by one"): start with the first.
        this.bindTo(options[0]!);
        this.s.current = first.id;
        this.s.pending = this.enter(first);
        return;
      }
      this.s.pending = { kind: 'subject', options: options.slice(0, 200), ...(problem ? { problem } : {}) };
    } catch (e) {
      this.s.pending = { kind: 'subject', options: [], problem: `Lifeline could not look at the workspace: ${oneLine(e)}` };
    }
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
    // The title as it read then: "Does ws-27's branch have commits main lacks?"
    const title = clip(this.readable(node.title), 1_000);
    this.s.path.push({ nodeId: node.id, kind: node.kind, title, at: this.now(), result });
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
    this.deps.invalidate?.();
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

/** What an action's subject placeholder stands for, in words. */
const NEEDS: Readonly<Record<string, string>> = {
  'ws-id': 'a workstream',
  branch: 'a branch',
  worktree: 'a worktree on disk',
  'merge-sha': 'a merge commit',
};

function fits(node: PlaybookNode, pending: Pending): boolean {
  switch (pending.kind) {
    case 'finding-subjects':
    case 'subject':
      return true;
    case 'verifying':
      return node.kind === 'end';
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

/**
 * What a fix-up leaves on purpose, by the finding it makes: marking a workstream failed is how a
 * guide hands it back to the orchestrator for a retry, so its "failed" finding is the outcome.
 */
const INTENDED_FINDING: Readonly<Record<string, string>> = { 'workstream.mark-failed': 'failed-workstream' };

/** `remaining` with the findings this session's own (applied, not undone) fix-ups meant to leave marked `intended`. */
function intendedMarked(remaining: Remaining[] | undefined, actions: readonly ActionRecord[]): Remaining[] | undefined {
  if (!remaining) return remaining;
  const meant = new Set<string>();
  for (const a of actions) {
    if (!a.ok || a.undone) continue;
    const action = actionOf(a.actionId);
    const kind = INTENDED_FINDING[action];
    // A finding's id is `<kind>:<subject>`, the same grammar as the action's.
    if (kind && action.length < a.actionId.length) meant.add(joinActionId(kind, a.actionId.slice(action.length + 1)));
  }
  return meant.size ? remaining.map((r) => (meant.has(r.id) ? { ...r, intended: true } : r)) : remaining;
}
