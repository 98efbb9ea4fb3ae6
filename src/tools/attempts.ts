// lifeline_record_attempt: the repeated-failure detector (seeds 000 and 003: after three
// failures, change approach), persisted per workspace so it counts across an agent's separate
// tool calls and hook runs. A failure is its fingerprint (repeats.ts: the scenario and its
// evidence line with volatile parts masked); the third identical one answers "change approach"
// with the repeated-failure playbook. Counts live in the user's state folder, one file per
// workspace, not in the repository: a checkout cannot reset them.
import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { STRIKES, fingerprint } from '../core/classification/repeats';
import { findRepositoryRoot } from '../core/git/repository';
import { compileMatcher } from '../core/matching/matcher';
import { scanText } from '../core/matching/stream';
import { classifyStream } from '../core/classification/classifier';
import type { Playbook } from '../core/playbooks/model';
import { MiB, readRegularFile } from '../core/fixups/read-file';
import { EXIT, UsageError } from './outcome';
import type { ToolContext, ToolOutcome } from './outcome';
import { userStateDir, writeAtomic } from './user-dirs';
import { hasControlChars } from '../core/fixups/contain';

/** A failure older than this no longer counts: yesterday's attempts are not today's approach. */
const WINDOW_MS = 12 * 60 * 60 * 1000;
/** Fingerprints kept per workspace, the least recent dropped first. */
const LIMIT = 500;
export const REPEATED_FAILURE = 'repeated-failure';

const Store = z.object({
  version: z.literal(1),
  root: z.string(),
  attempts: z.record(z.string(), z.object({ count: z.number().check(z.int(), z.nonnegative()), first: z.string(), last: z.string() })),
});
type Store = z.infer<typeof Store>;

export interface AttemptInput {
  /** The failing output; classified to find its fingerprint. */
  text?: string;
  /** A fingerprint the caller computed (e.g. from an earlier answer). */
  fingerprint?: string;
  exitCode?: number;
  cwd?: string;
}

export interface AttemptVerdict {
  fingerprint: string;
  scenario: string | null;
  count: number;
  strikes: number;
  /** True from the third identical failure on. */
  escalate: boolean;
  /** "change approach" at the third strike, else "retry". */
  advice: 'change approach' | 'retry';
  /** What to do now, in the playbook's words. */
  next_step: string;
  /** The playbook to follow now: the repeated-failure one when escalating, else the failure's own. */
  guide: string | null;
}

/** The workspace a count belongs to: the repository's main worktree, else the folder itself. */
async function workspaceKey(dir: string): Promise<string> {
  try {
    return await findRepositoryRoot(dir);
  } catch {
    return realpath(dir).catch(() => dir);
  }
}

function storeFile(root: string): string {
  return join(userStateDir(), 'attempts', `${createHash('sha256').update(root).digest('hex').slice(0, 24)}.json`);
}

async function readStore(file: string, root: string): Promise<Store> {
  try {
    const bytes = await readRegularFile(file, { what: 'the attempt counts', maxBytes: 4 * MiB });
    const parsed = bytes ? Store.safeParse(JSON.parse(bytes.toString('utf8'))) : undefined;
    if (parsed?.success && parsed.data.root === root) return parsed.data;
  } catch {
    // A damaged file counts from zero rather than stopping the agent.
  }
  return { version: 1, root, attempts: {} };
}

/** A playbook's next step as one line: its recovery plan, else its first step's title. */
function nextStepOf(p: Playbook | undefined): string {
  if (!p) return 'Read the output, fix the cause, then retry once.';
  const plan = p.analysis?.recoveryPlan ?? p.analysis?.humanInstructions;
  if (plan) return plan.trim();
  const step = p.nodes.find((n) => n.kind === 'step' || n.kind === 'action');
  return step ? step.title : p.title;
}

/** One short line: no control characters (it is stored and shown back). */
function validFingerprint(v: string): boolean {
  return v.length > 0 && v.length <= 1000 && !hasControlChars(v);
}

export async function recordAttemptTool(ctx: ToolContext, input: AttemptInput, now = new Date()): Promise<ToolOutcome<AttemptVerdict>> {
  if ((input.text === undefined) === (input.fingerprint === undefined)) throw new UsageError('give either the failing output (text) or a fingerprint, not both');
  const playbooks = await ctx.playbooks();
  let fp: string;
  let scenario: string | null = null;
  if (input.fingerprint !== undefined) {
    if (!validFingerprint(input.fingerprint)) throw new UsageError('a fingerprint is one line of at most 1000 characters');
    fp = input.fingerprint;
    const head = fp.split('|')[0]!;
    scenario = playbooks.some((p) => p.id === head) ? head : null;
  } else {
    const c = classifyStream(playbooks, scanText(compileMatcher(playbooks), input.text!, { source: 'terminal' }), { exitCode: input.exitCode });
    scenario = c.scenario;
    // Unrecognised output is still one failure: its first failure line (or last line) is what repeats.
    const lines = input.text!.split(/\r?\n/).filter((l) => l.trim());
    const line = c.evidence[0]?.text ?? lines[lines.length - 1] ?? '';
    fp = fingerprint(c.scenario ?? `unrecognised:${c.failure_type ?? 'output'}`, line.trim());
  }
  const root = await workspaceKey(resolve(ctx.cwd, input.cwd ?? '.'));
  const file = storeFile(root);
  const store = await readStore(file, root);
  const cutoff = now.getTime() - WINDOW_MS;
  for (const [k, v] of Object.entries(store.attempts)) if (Date.parse(v.last) < cutoff) delete store.attempts[k];
  const seen = store.attempts[fp];
  const count = (seen?.count ?? 0) + 1;
  delete store.attempts[fp]; // re-inserted last: the object's order is least recent first
  store.attempts[fp] = { count, first: seen?.first ?? now.toISOString(), last: now.toISOString() };
  const keys = Object.keys(store.attempts);
  for (const k of keys.slice(0, Math.max(0, keys.length - LIMIT))) delete store.attempts[k];
  await writeAtomic(file, JSON.stringify(store));

  const escalate = count >= STRIKES;
  const own = playbooks.find((p) => p.id === scenario);
  const repeated = playbooks.find((p) => p.id === REPEATED_FAILURE);
  const data: AttemptVerdict = escalate
    ? {
        fingerprint: fp,
        scenario,
        count,
        strikes: STRIKES,
        escalate,
        advice: 'change approach',
        next_step: `The same failure has now happened ${count} times: change approach. ${nextStepOf(repeated)}`,
        guide: repeated ? REPEATED_FAILURE : null,
      }
    : { fingerprint: fp, scenario, count, strikes: STRIKES, escalate, advice: 'retry', next_step: nextStepOf(own), guide: own ? own.id : null };
  return { data, exitCode: EXIT.ok };
}
