// The serialisable state of a recovery session, and its schema. The state travels to the
// webview (and back, when VS Code restores a panel after a reload), so it is validated on the
// way in: nothing restored is trusted before it passes `parseSessionState`.
import * as z from 'zod/mini';
import { EFFECTS } from '../fixups/effects';
import { CHECK_PROBES, FIXUP_ACTIONS, SUBJECT_KINDS } from '../playbooks/model';
import type { CheckProbe, FixupAction } from '../playbooks/model';

const probeName = z.enum(Object.keys(CHECK_PROBES) as [CheckProbe, ...CheckProbe[]]);
const actionName = z.enum(Object.keys(FIXUP_ACTIONS) as [FixupAction, ...FixupAction[]]);
const isoTime = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/, 'must be an ISO time'));
const text = (max = 100_000) => z.string().check(z.maxLength(max));

/** What answers a check: the probe itself, or the user when the probe could not tell. */
export const PROBE_ANSWERS = ['yes', 'no', 'unknown'] as const;
export type ProbeAnswerValue = (typeof PROBE_ANSWERS)[number];

/** One line of evidence that led to the session (a matched output line, a finding). */
export const EvidenceSchema = z.strictObject({
  text: text(4_000),
  /** Line number in the output it came from, when known. */
  line: z.optional(z.number().check(z.int(), z.minimum(0))),
  /** Where the line was seen: a terminal, a test report, a selection, a finding. */
  source: z.optional(text(200)),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const TRIGGER_SOURCES = ['terminal', 'task', 'test', 'selection', 'clipboard', 'tree', 'manual', 'agent'] as const;
export type TriggerSource = (typeof TRIGGER_SOURCES)[number];

/** Why the session started. */
export const TriggerSchema = z.strictObject({
  source: z.enum(TRIGGER_SOURCES),
  /** When the failure was seen (ISO). */
  at: isoTime,
  evidence: z.array(EvidenceSchema).check(z.maxLength(50)),
  commandLine: z.optional(text(4_000)),
  exitCode: z.optional(z.number().check(z.int())),
  confidence: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  fingerprint: z.optional(text(500)),
});
export type Trigger = z.infer<typeof TriggerSchema>;

/** The fix-up contract's Preview (src/core/fixups/types.ts), as data. */
export const PreviewSchema = z.object({
  title: text(1_000),
  git: z.optional(z.array(z.array(text(10_000)))),
  sql: z.optional(z.array(z.object({ statement: text(), rows: z.array(z.record(z.string(), z.unknown())), after: z.optional(z.array(z.record(z.string(), z.unknown()))) }))),
  files: z.optional(z.array(text(4_000))),
  notes: z.array(text(10_000)),
  effect: z.enum(EFFECTS),
  refusal: z.optional(z.object({ reason: text(4_000), code: z.enum(['unsafe', 'busy', 'invalid']) })),
  discards: z.optional(z.object({ files: z.array(text(4_000)), commits: z.array(text(200)) })),
});

/** Where a fix-up is aimed: the contract's ActionTarget. */
export const TargetSchema = z.strictObject({
  action: actionName,
  subject: z.optional(text(4_000)),
  params: z.optional(z.record(z.string(), text(10_000))),
});

/**
 * One thing a guide is about, as the diagnosis knows it: a workstream with its branch, worktree
 * and agent; a worktree; a test. `values` fill the playbook's {{placeholders}}.
 */
export const SubjectSchema = z.strictObject({
  id: text(4_000),
  kind: z.enum(SUBJECT_KINDS),
  /** One line for a person: what the diagnosis says about it. */
  label: text(4_000),
  values: z.record(z.string(), text(4_000)),
});
export type Subject = z.infer<typeof SubjectSchema>;

/** A problem the diagnosis still finds when the guide reaches its end. */
export const RemainingSchema = z.strictObject({
  id: text(4_000),
  subject: text(4_000),
  detail: text(4_000),
  /** The guide that handles it. */
  scenario: text(200),
  /** About a subject this guide handled (so the guide is not done with it). */
  mine: z.boolean(),
  /** What this guide's own fix-up left on purpose (a workstream it marked failed, for the orchestrator to retry): no problem. */
  intended: z.optional(z.boolean()),
});
export type Remaining = z.infer<typeof RemainingSchema>;

/** What happened at a node the session passed through. */
export const StepResultSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('done') }),
  z.strictObject({
    type: z.literal('check'),
    probe: probeName,
    answer: z.enum(PROBE_ANSWERS),
    /** `probe` when the workspace answered, `user` when the probe could not tell and the user did. */
    by: z.enum(['probe', 'user']),
    detail: z.optional(text(4_000)),
  }),
  z.strictObject({ type: z.literal('choice'), index: z.number().check(z.int(), z.minimum(0)), label: text(1_000) }),
  z.strictObject({ type: z.literal('action'), ok: z.boolean(), message: text(4_000), journalId: z.optional(text(500)) }),
  z.strictObject({ type: z.literal('declined'), reason: z.optional(text(4_000)) }),
  /** The user confirmed they ran a step marked destructive, knowing what it discards. */
  z.strictObject({ type: z.literal('acknowledged') }),
]);
export type StepResult = z.infer<typeof StepResultSchema>;

export const PathEntrySchema = z.strictObject({
  nodeId: text(200),
  kind: z.enum(['step', 'check', 'question', 'action', 'end']),
  title: text(1_000),
  at: isoTime,
  result: StepResultSchema,
});
export type PathEntry = z.infer<typeof PathEntrySchema>;

/** One fix-up the session ran, with its result; the failure report's "attempted fixes". */
export const ActionRecordSchema = z.strictObject({
  nodeId: text(200),
  /** The id the CLI and the journal use: `<action>` or `<action>:<subject>`. */
  actionId: text(4_000),
  title: text(1_000),
  at: isoTime,
  ok: z.boolean(),
  message: text(4_000),
  output: z.optional(z.array(text(10_000)).check(z.maxLength(500))),
  journalId: z.optional(text(500)),
  /** What the fix-up's plan said it does (src/core/fixups/effects.ts); decides whether undo is offered. */
  effect: z.enum(EFFECTS),
  handOff: z.optional(text(200)),
  /** When it was undone from the journal (ISO). */
  undone: z.optional(isoTime),
});
export type ActionRecord = z.infer<typeof ActionRecordSchema>;

/** What the session waits for at the current node. */
export const PendingSchema = z.discriminatedUnion('kind', [
  /** The session looks up what the guide can be about (a fresh diagnosis), or binds the subject it was given. */
  z.strictObject({ kind: z.literal('finding-subjects') }),
  /**
   * The playbook needs a subject and was opened without one: the user picks one of `options`
   * (the matching findings), or all of them one by one. `problem` says why a given subject could not be used.
   */
  z.strictObject({ kind: z.literal('subject'), options: z.array(SubjectSchema).check(z.maxLength(200)), problem: z.optional(text(4_000)) }),
  /** A step: the user does it and moves on. */
  z.strictObject({ kind: z.literal('step') }),
  /** A check is being answered by its probe. */
  z.strictObject({ kind: z.literal('checking'), probe: probeName }),
  /** The probe could not tell: the user answers yes or no. */
  z.strictObject({ kind: z.literal('ask'), probe: probeName, detail: z.optional(text(4_000)) }),
  /** A question: the user picks an option. */
  z.strictObject({ kind: z.literal('choice') }),
  /** The fix-up's preview is being prepared. */
  z.strictObject({ kind: z.literal('previewing'), target: TargetSchema }),
  /**
   * The fix-up's preview is ready (or could not be made: `blocked`); it runs only when the user
   * confirms. `failure` holds the last attempt's result when it did not work and there is no
   * onFailure edge, so the user can retry or decline.
   */
  z.strictObject({
    kind: z.literal('confirm'),
    target: TargetSchema,
    preview: z.optional(PreviewSchema),
    blocked: z.optional(z.strictObject({ reason: text(4_000), code: z.enum(['unsafe', 'busy', 'invalid', 'untrusted', 'error', 'input']) })),
    failure: z.optional(z.strictObject({ message: text(4_000) })),
    /** The user chose not to run it: nothing was changed, the guide waits here. */
    declined: z.optional(z.boolean()),
  }),
  /** The fix-up is running. */
  z.strictObject({ kind: z.literal('applying'), target: TargetSchema }),
  /** At an end node: the diagnosis runs again to see what is left before the guide says resolved. */
  z.strictObject({ kind: z.literal('verifying') }),
  /** The session is over. */
  z.strictObject({
    kind: z.literal('ended'),
    outcome: z.enum(['resolved', 'escalate']),
    /** Why it ended without reaching an end node (a loop). */
    reason: z.optional(text(4_000)),
    /** What the diagnosis still finds at the end; absent when it could not be checked. */
    remaining: z.optional(z.array(RemainingSchema).check(z.maxLength(500))),
  }),
]);
export type Pending = z.infer<typeof PendingSchema>;

export const SessionStateSchema = z.strictObject({
  version: z.literal(1),
  id: text(200),
  playbookId: text(200),
  startedAt: isoTime,
  /** The workstream, worktree or branch the session is about, when known. */
  subject: z.optional(text(4_000)),
  /** The bound subject: what the diagnosis knows about `subject` (fills placeholders, builds action targets). */
  bound: z.optional(SubjectSchema),
  /** Subjects the guide has taken up so far, oldest first; "the next one" is never one of these. */
  settled: z.optional(z.array(SubjectSchema).check(z.maxLength(500))),
  /** The user asked for all subjects one by one: "the next one" moves on without asking. */
  each: z.optional(z.boolean()),
  /** Values the user typed for the playbook's inputs. */
  inputs: z.optional(z.record(z.string(), text(4_000))),
  params: z.optional(z.record(z.string(), text(10_000))),
  trigger: z.optional(TriggerSchema),
  current: text(200),
  pending: PendingSchema,
  path: z.array(PathEntrySchema).check(z.maxLength(2_000)),
  actions: z.array(ActionRecordSchema).check(z.maxLength(500)),
});
export type SessionState = z.infer<typeof SessionStateSchema>;

export type ParsedState = { ok: true; state: SessionState } | { ok: false; error: string };

/** Validates state from outside (webview, disk); one line on failure. */
export function parseSessionState(value: unknown): ParsedState {
  const r = SessionStateSchema.safeParse(value);
  if (r.success) return { ok: true, state: r.data };
  const issue = r.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `invalid recovery session state: ${where}${issue?.message ?? 'unreadable'}` };
}
