// The one protocol between the recovery panel's host (src/editor/webview) and its page
// (src/webview): a discriminated union per direction, a doc comment per message, requests
// matched to replies by id. Both sides validate what they receive with these schemas before
// using it. Imports nothing but zod/mini, so both bundles can carry it.
import * as z from 'zod/mini';

const text = (max = 20_000) => z.string().check(z.maxLength(max));
const nodeId = text(200);
const requestId = z.number().check(z.int(), z.minimum(0));

// --- what the page shows: a view model built by the host ----------------------------------

/** What a fix-up does to the workspace: src/core/fixups/effects.ts's EFFECTS (a unit test keeps them equal). */
export const PROTOCOL_EFFECTS = ['read-only', 'reversible', 'irreversible', 'destructive'] as const;

export const PreviewViewSchema = z.strictObject({
  title: text(),
  /** Each git invocation, already rendered as one command line for reading. */
  git: z.array(text()),
  sql: z.array(
    z.strictObject({
      statement: text(),
      /** The changed columns first (`changedColumns` of them), then the rest. */
      columns: z.array(text(200)),
      changedColumns: z.number().check(z.int(), z.minimum(0)),
      /** The rows before the change, cells in `columns` order. */
      rows: z.array(z.array(text(2_000))),
      /** The same rows after it, when the statement writes. */
      after: z.optional(z.array(z.array(text(2_000)))),
    }),
  ),
  files: z.array(text()),
  notes: z.array(text()),
  /** What running it does to the workspace, for the badge. */
  effect: z.enum(PROTOCOL_EFFECTS),
  refusal: z.optional(z.strictObject({ reason: text(), code: text(20) })),
  discards: z.optional(z.strictObject({ files: z.array(text()), commits: z.array(text(200)) })),
});
export type PreviewView = z.infer<typeof PreviewViewSchema>;

/** A check that answered itself on the way here, with its answer and what it saw. */
const CheckedSchema = z.strictObject({ title: text(2_000), outcome: text() });

/** Every current view: the node, and the automatic checks passed since the user last decided.
 * `source`: where the node is written ("runbook.md:12"); the page offers it as a link (`openSource`). */
const base = { nodeId, title: text(2_000), body: z.optional(text()), source: z.optional(text(500)), checked: z.optional(z.array(CheckedSchema).check(z.maxLength(10))) };

/** A value a command or fix-up still needs from the user (a declared playbook input). */
const MissingInputSchema = z.strictObject({ name: text(200), label: text(2_000), example: z.optional(text(2_000)) });

/** One subject the user may pick for a guide opened without one. */
const SubjectOptionSchema = z.strictObject({ id: text(4_000), label: text(4_000) });

/** A problem the diagnosis still finds at the end; `mine` when about what this guide handled. */
const RemainingViewSchema = z.strictObject({
  id: text(4_000),
  subject: text(4_000),
  detail: text(4_000),
  playbookId: text(200),
  guideTitle: z.optional(text(2_000)),
  mine: z.boolean(),
  /** Left on purpose by this guide's own fix-up (a workstream marked failed for a retry). */
  intended: z.optional(z.boolean()),
});

/** The node the session stands at, and what it waits for. */
export const CurrentViewSchema = z.discriminatedUnion('kind', [
  /**
   * Instructions for the user, with commands they may put in a terminal; "Done" moves on. Commands
   * come in display order; `index` is each one's place in the playbook, which requests name.
   */
  z.strictObject({
    ...base,
    kind: z.literal('step'),
    commands: z.array(
      z.strictObject({
        index: z.number().check(z.int(), z.minimum(0), z.maximum(100)),
        run: text(),
        shell: text(20),
        description: z.optional(text()),
        /** Values still to type: while any is listed, the command cannot go to a terminal. */
        missing: z.optional(z.array(MissingInputSchema)),
      }),
    ),
    /** The commands can destroy work: "Done" needs the user's acknowledgement (or they skip it). */
    destructive: z.optional(z.boolean()),
  }),
  /** The guide looks at the workspace for what it can be about. */
  z.strictObject({ ...base, kind: z.literal('finding-subjects') }),
  /** The guide needs a subject: the user picks one, or all of them one by one. */
  z.strictObject({ ...base, kind: z.literal('subject'), question: text(), options: z.array(SubjectOptionSchema), problem: z.optional(text()) }),
  /** A check is running by itself. */
  z.strictObject({ ...base, kind: z.literal('checking'), question: text() }),
  /** The check could not tell; the user answers yes or no (or checks again). */
  z.strictObject({ ...base, kind: z.literal('ask'), question: text(), detail: z.optional(text()) }),
  /** The user picks one option. */
  z.strictObject({ ...base, kind: z.literal('choice'), options: z.array(text(2_000)) }),
  /** A fix-up's preview is being prepared. */
  z.strictObject({ ...base, kind: z.literal('previewing'), actionId: text(), description: text() }),
  /** A fix-up waits for confirmation (or cannot run: `blocked`). */
  z.strictObject({
    ...base,
    kind: z.literal('confirm'),
    actionId: text(),
    description: text(),
    preview: z.optional(PreviewViewSchema),
    blocked: z.optional(z.strictObject({ reason: text(), code: text(20) })),
    failure: z.optional(text()),
    /** Values the fix-up waits for (blocked with code `input`). */
    inputs: z.optional(z.array(MissingInputSchema)),
    /** The user chose not to run it; nothing was changed. */
    declined: z.optional(z.boolean()),
    /** The playbook offers "Skip it" (moving on without running it). */
    canSkip: z.optional(z.boolean()),
  }),
  /** A confirmed fix-up is running; progress arrives as `progress` messages. */
  z.strictObject({ ...base, kind: z.literal('applying'), actionId: text(), description: text() }),
  /** At the end: the diagnosis runs once more to see what is left. */
  z.strictObject({ ...base, kind: z.literal('verifying') }),
  /**
   * The session is over. `remaining` is what the diagnosis still finds (absent when it could not
   * look); `summary` says it in one line ("2 problems remain about what this guide handled").
   */
  z.strictObject({
    ...base,
    kind: z.literal('ended'),
    outcome: z.enum(['resolved', 'escalate']),
    reason: z.optional(text()),
    remaining: z.optional(z.array(RemainingViewSchema)),
    summary: z.optional(text()),
  }),
]);
export type CurrentView = z.infer<typeof CurrentViewSchema>;

/** One line of the guide's map: the decision graph as an outline (src/core/decisions/outline.ts). */
export const OutlineEntryViewSchema = z.strictObject({
  nodeId,
  kind: z.enum(['step', 'check', 'question', 'action', 'end']),
  title: text(2_000),
  depth: z.number().check(z.int(), z.minimum(0), z.maximum(100)),
  /** The edge into it, worded: a check's answer ("yes"), an option's label, "if it fails". */
  via: z.optional(text(2_000)),
  /** The walk went along that edge. */
  taken: z.boolean(),
  status: z.enum(['visited', 'current', 'ahead', 'not-taken']),
  /** Listed above already (a loop back or a join): a pointer to that line. */
  ref: z.boolean(),
  /** What happened there, worded ("yes, checked"); `evidence` is what the check saw. */
  outcome: z.optional(text()),
  evidence: z.optional(text()),
  /** A visited decision: clicking it goes back there (`goBack`). */
  canGoBack: z.boolean(),
});
export type OutlineEntryView = z.infer<typeof OutlineEntryViewSchema>;

export const PanelViewSchema = z.strictObject({
  sessionId: text(200),
  scenario: z.strictObject({
    id: text(200),
    title: text(2_000),
    summary: z.optional(text()),
    category: text(200),
    severity: z.number(),
    /** "3 — Major: Stop and fix" */
    severityText: text(2_000),
    /** The short chip ("Severity 3"); `severityText` is its tooltip. */
    severityShort: text(200),
    recoverable: z.boolean(),
    recoverableReason: text(),
  }),
  subject: z.optional(text()),
  /** Where the failure was seen, as one line ("Terminal: pytest -x (exit 1)"). */
  origin: z.optional(text()),
  evidence: z.array(text(4_100)),
  path: z.array(z.strictObject({ title: text(2_000), outcome: text(), tone: z.enum(['good', 'bad', 'neutral']) })),
  current: CurrentViewSchema,
  /** "Step 3 of about 8", worded by the host; `step`/`total` for the page's own use. */
  progress: z.strictObject({ step: z.number().check(z.int(), z.minimum(0)), total: z.number().check(z.int(), z.minimum(0)), text: text(200) }),
  /** The whole decision graph, in reading order. */
  outline: z.array(OutlineEntryViewSchema).check(z.maxLength(2_000)),
  actions: z.array(
    z.strictObject({
      title: text(2_000),
      actionId: text(),
      at: text(40),
      ok: z.boolean(),
      message: text(),
      output: z.array(text()),
      journalId: z.optional(text(500)),
      undone: z.optional(text(40)),
      /** Undo is offered: the change is journaled with a way back and not undone yet. */
      undoable: z.boolean(),
      handOff: z.optional(z.strictObject({ playbookId: text(200), title: text(2_000) })),
    }),
  ),
  /** False in an untrusted workspace: no fix-up or undo is offered. */
  trusted: z.boolean(),
  canGoBack: z.boolean(),
});
export type PanelView = z.infer<typeof PanelViewSchema>;

/** Every fixed string the page shows, localised by the host (vscode.l10n). */
export const STRING_KEYS = [
  'evidence', 'noEvidence', 'pathTaken', 'pathEmpty', 'now', 'fixupsRun', 'severity', 'subject', 'origin',
  'done', 'putInTerminal', 'copyCommand', 'yes', 'no', 'checkAgain', 'checking', 'couldNotTell',
  'preparingPreview', 'runFixup', 'dontRun', 'previewAgain', 'destructive', 'reversible', 'irreversible', 'readOnly', 'gitCommands', 'sqlStatements', 'beforeAfter', 'changesTo',
  'filesTouched', 'notes', 'discardsTitle', 'discardConfirm', 'refused', 'blocked', 'lastAttemptFailed', 'running',
  'resolved', 'escalate', 'undo', 'undone', 'worked', 'failed', 'output', 'continueWith', 'back',
  'copyReport', 'copyAnalysis', 'untrusted', 'working', 'recoverable', 'notRecoverable', 'journal',
  'allOneByOne', 'findingSubjects', 'needsValue', 'useValue', 'fillFirst', 'destructiveStep', 'acknowledgeStep',
  'skipStep', 'skipFixup', 'declinedNote', 'verifying', 'openIt', 'elsewhere', 'leftAsIntended', 'notVerified',
  'map', 'youAreHere', 'notTaken', 'ahead', 'visited', 'goBackTo', 'seeAbove', 'copied', 'keyboardHint', 'openSource', 'checkedOnTheWay', 'notesNoUndo',
] as const;
export type StringKey = (typeof STRING_KEYS)[number];
export type Strings = Record<StringKey, string>;
const StringsSchema = z.strictObject(Object.fromEntries(STRING_KEYS.map((k) => [k, text(2_000)])) as Record<StringKey, ReturnType<typeof text>>);

// --- host -> page ---------------------------------------------------------------------------

export const HostMessageSchema = z.discriminatedUnion('type', [
  /** Sent in answer to `ready`: the localised strings the page needs. */
  z.strictObject({ type: z.literal('init'), strings: StringsSchema }),
  /**
   * The whole view, after every change. `persist` is opaque to the page: it stores it with
   * `setState` so VS Code can hand it back to the host when it restores the panel.
   */
  z.strictObject({ type: z.literal('state'), view: PanelViewSchema, persist: z.unknown() }),
  /** One line of a running fix-up's progress or output. */
  z.strictObject({ type: z.literal('progress'), line: text() }),
  /** The answer to the page's request `requestId`; `message` is announced to screen readers. */
  z.strictObject({ type: z.literal('reply'), requestId, ok: z.boolean(), message: z.optional(text()) }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

// --- page -> host ---------------------------------------------------------------------------

export const PageMessageSchema = z.discriminatedUnion('type', [
  /** The page loaded (or reloaded) and wants `init` and the current `state`. */
  z.strictObject({ type: z.literal('ready') }),
  /** The user did the step at `nodeId`; `acknowledge` confirms a destructive step knowingly. */
  z.strictObject({ type: z.literal('continue'), requestId, nodeId, acknowledge: z.optional(z.boolean()) }),
  /** The user skips the step at `nodeId` (did not do it). */
  z.strictObject({ type: z.literal('skip'), requestId, nodeId }),
  /** The user picks what the guide is about: a subject id, or null for all of them one by one. */
  z.strictObject({ type: z.literal('chooseSubject'), requestId, id: z.nullable(text(4_000)) }),
  /** The user typed the value of the playbook input `name`. */
  z.strictObject({ type: z.literal('provide'), requestId, name: text(200), value: text(1_000) }),
  /** The user answers the check at `nodeId` that its probe could not. */
  z.strictObject({ type: z.literal('answer'), requestId, nodeId, answer: z.enum(['yes', 'no']) }),
  /** The user picks option `index` of the question at `nodeId`. */
  z.strictObject({ type: z.literal('choose'), requestId, nodeId, index: z.number().check(z.int(), z.minimum(0), z.maximum(100)) }),
  /** The user confirms the previewed fix-up at `nodeId`; `discard` confirms losing exactly the listed work. */
  z.strictObject({ type: z.literal('confirm'), requestId, nodeId, discard: z.boolean() }),
  /** The user will not run the fix-up at `nodeId`. */
  z.strictObject({ type: z.literal('decline'), requestId, nodeId }),
  /** Ask the check again, or prepare a fresh preview, at `nodeId`. */
  z.strictObject({ type: z.literal('recheck'), requestId, nodeId }),
  /** Go back to the previous decision. */
  z.strictObject({ type: z.literal('back'), requestId }),
  /** Go back to `nodeId`, a decision the walk passed (a visited line of the map). */
  z.strictObject({ type: z.literal('goBack'), requestId, nodeId }),
  /** Undo the fix-up that wrote journal entry `journalId`. */
  z.strictObject({ type: z.literal('undo'), requestId, journalId: text(500) }),
  /**
   * Put command `index` of the step at `nodeId` into a terminal, without running it. The page
   * names the command by position; the host reads the text from the playbook itself.
   */
  z.strictObject({ type: z.literal('runCommand'), requestId, nodeId, index: z.number().check(z.int(), z.minimum(0), z.maximum(100)) }),
  /** Copy the failure report (seed 002) or the recovery analysis JSON (seed 004) to the clipboard. */
  z.strictObject({ type: z.literal('copy'), requestId, what: z.enum(['report', 'analysis', 'command']), nodeId: z.optional(nodeId), index: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(100))) }),
  /** Open the file and line the step at `nodeId` is written at (the host looks the place up itself). */
  z.strictObject({ type: z.literal('openSource'), requestId, nodeId }),
  /** Open the guide a fix-up handed over to, or the guide of a problem left at the end (about `subject`). */
  z.strictObject({ type: z.literal('openGuide'), requestId, playbookId: text(200), subject: z.optional(text(4_000)) }),
]);
export type PageMessage = z.infer<typeof PageMessageSchema>;
export type PageRequest = Exclude<PageMessage, { type: 'ready' }>;

/** Validates a message; `undefined` when it is not one (the caller logs and drops it). */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  const r = HostMessageSchema.safeParse(value);
  return r.success ? r.data : undefined;
}

export function parsePageMessage(value: unknown): PageMessage | { error: string } {
  const r = PageMessageSchema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  return { error: `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}` };
}
