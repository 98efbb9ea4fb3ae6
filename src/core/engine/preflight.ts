// Preflight: seed 001's "before running the orchestrator" checklist as checks a launch script,
// CI or an agent's session-start hook can gate on. One diagnosis, plus what diagnose does not
// look at: the main checkout's git status, free disk, and the database's integrity and holders.
// Stuck and failed workstreams are diagnose's business, not a reason to hold a launch.
import { statfs } from 'node:fs/promises';
import { basename } from 'node:path';
import { diagnose } from './diagnose';
import type { DiagnoseReport } from './diagnose';
import type { Sources } from '../fixups/registry';
import { SCENARIO_FOR, MERGE_CONFLICT_SCENARIO } from '../fixups/scenarios';
import type { Finding, FindingKind, WorkspaceContext } from '../fixups/types';
import { gitFor } from '../git/repository';
import { operationInProgress, worktreeStatus } from '../git/status';
import type { StatusEntry } from '../git/status';
import { readDatabase } from '../database/read';
import type { Snapshot } from '../database/snapshot';
import { checkIntegrity } from '../database/integrity';
import type { IntegrityResult } from '../database/integrity';
import { describeHolders, findHolders } from '../database/holders';
import type { Holder } from '../database/holders';

/** The checklist, in the order it is shown. */
export const PREFLIGHT_CHECKS = [
  'specs',
  'dependency-cycles',
  'dangling-dependencies',
  'main-checkout',
  'free-disk',
  'locked-worktrees',
  'prunable-worktrees',
  'stale-worktrees',
  'ghost-runs',
  'database',
] as const;
export type PreflightCheckId = (typeof PREFLIGHT_CHECKS)[number];

export interface PreflightCheck {
  id: PreflightCheckId;
  ok: boolean;
  /** One line a person reads, e.g. "free disk: 41 GB". Raw text: front-ends escape it for display. */
  line: string;
  /** The playbook that handles a failed check. */
  scenario?: string;
  /** The diagnosis findings behind a failed check. */
  findingIds?: string[];
}

export interface PreflightReport {
  checks: PreflightCheck[];
  /** No check failed: agents may be launched. */
  clear: boolean;
}

export interface PreflightOptions {
  /** Overrides `.lifeline.json`'s preflightMinFreeGb (the CLI's --min-free-gb). */
  minFreeGb?: number;
}

/** What preflight reads beyond the diagnosis; gathered once, judged by preflightChecks. */
export interface PreflightFacts {
  diagnosis: Pick<DiagnoseReport, 'findings' | 'specs' | 'worktrees'>;
  mainBranch: string;
  /** The main checkout's uncommitted entries, or why git could not say. */
  mainStatus: StatusEntry[] | string;
  /** A merge, rebase, cherry-pick or revert half-done on the main checkout. */
  operation: string | null;
  /** Free bytes for an unprivileged user on the repository's file system, or why it is unknown. */
  freeBytes: number | string;
  minFreeGb: number;
  root: string;
  database: DatabaseFacts;
}

export interface DatabaseFacts {
  /** As configured, relative to the root. */
  path: string;
  exists: boolean;
  /** Committed transactions in the WAL not yet in the main file (0 when none). */
  walTransactions: number;
  walPending: number;
  /** Who has the database files open; null when this platform cannot tell. */
  holders: Holder[] | null;
  /** Null when there is no database to check. */
  integrity: IntegrityResult | null;
}

/** The guide that carries seed 001's prevention list (clean main checkout, disk space). */
const PREVENTION_SCENARIO = 'orchestrator-crash';

const WORKTREE_KINDS: Readonly<Record<'locked-worktrees' | 'prunable-worktrees' | 'stale-worktrees', readonly FindingKind[]>> = {
  'locked-worktrees': ['locked-worktree'],
  'prunable-worktrees': ['prunable-worktree'],
  // Orphaned: left behind by a run that is over; foreign: its .git no longer leads back here.
  'stale-worktrees': ['orphaned-worktree', 'foreign-worktree'],
};

/** The database's own findings that hold a launch; db-missing only when a -wal or -journal survived the file. */
function databaseBlocks(f: Finding): boolean {
  if (f.kind === 'db-missing') return Boolean(f.facts?.wal || f.facts?.journal);
  return f.kind === 'db-unreadable' || f.kind === 'hot-wal' || f.kind === 'stale-journal';
}

export async function preflight(ws: WorkspaceContext, sources: Sources, options: PreflightOptions = {}): Promise<PreflightReport> {
  return preflightChecks(await preflightFacts(ws, sources, options));
}

export async function preflightFacts(ws: WorkspaceContext, sources: Sources, options: PreflightOptions = {}): Promise<PreflightFacts> {
  const git = gitFor(ws);
  const [diagnosis, mainStatus, operation, freeBytes, database] = await Promise.all([
    diagnose(ws, sources),
    worktreeStatus(git, ws.root).catch((e: unknown) => firstLine(e)),
    operationInProgress(git, ws.root).catch(() => null),
    statfs(ws.root).then(
      (s) => Number(s.bavail) * Number(s.bsize),
      (e: unknown) => firstLine(e),
    ),
    sources.database ? databaseFacts(ws) : Promise.resolve(null),
  ]);
  return {
    diagnosis,
    mainBranch: ws.config.mainBranch,
    mainStatus,
    operation,
    freeBytes,
    minFreeGb: options.minFreeGb ?? ws.config.preflightMinFreeGb,
    root: ws.root,
    database: database ?? { path: ws.config.database, exists: false, walTransactions: 0, walPending: 0, holders: [], integrity: null },
  };
}

async function databaseFacts(ws: WorkspaceContext): Promise<DatabaseFacts> {
  // The same read diagnose makes (shared while both run); one that fails is the scan's
  // db-unreadable finding, which says why.
  const snap: Snapshot | null = (await readDatabase(ws)).snapshot ?? null;
  const p = snap?.paths;
  const holders = p ? await findHolders([p.db, p.wal, p.shm, p.journal]) : [];
  const exists = Boolean(snap?.db);
  return {
    path: ws.config.database,
    exists,
    walTransactions: snap && snap.walPending > 0 ? (snap.walScan?.transactions ?? 0) : 0,
    walPending: snap?.walPending ?? 0,
    holders,
    integrity: snap && exists ? await checkIntegrity(ws, snap) : null,
  };
}

/** The checklist judged from the facts: pure, so every line can be tested on its own. */
export function preflightChecks(facts: PreflightFacts): PreflightReport {
  const findings = facts.diagnosis.findings;
  const of = (kinds: readonly FindingKind[]) => findings.filter((f) => kinds.includes(f.kind));
  const checks: PreflightCheck[] = [];
  const fromFindings = (id: PreflightCheckId, label: string, hits: Finding[], okLine: string, item: (f: Finding) => string) => {
    if (!hits.length) return checks.push({ id, ok: true, line: `${label}: ${okLine}` });
    return checks.push({ id, ok: false, line: `${label}: ${hits.map(item).join('; ')}`, scenario: hits[0]!.scenario, findingIds: hits.map((f) => f.id) });
  };
  const specCount = facts.diagnosis.specs.length;
  const specsRead = `${specCount} read`;

  fromFindings('specs', 'workstream specs', of(['invalid-spec']), specCount ? specsRead : 'none to read', (f) => f.detail.replace(/\.$/, ''));
  fromFindings('dependency-cycles', 'dependency cycles', of(['dependency-cycle']), 'none', (f) => {
    const cycle = typeof f.facts?.cycle === 'string' ? f.facts.cycle : f.subject;
    const cut = typeof f.facts?.cutFrom === 'string' && typeof f.facts.cutTo === 'string' ? ` (cut ${f.facts.cutFrom} -> ${f.facts.cutTo})` : '';
    return `${cycle}${cut}`;
  });
  fromFindings('dangling-dependencies', 'dangling depends_on', of(['dangling-dependency']), 'none', (f) => {
    const missing = typeof f.facts?.missing === 'string' ? f.facts.missing : '?';
    return `${f.subject} depends on ${JSON.stringify(missing)}, which has no row and no spec`;
  });
  checks.push(mainCheckout(facts));
  checks.push(freeDisk(facts));
  for (const [id, kinds] of Object.entries(WORKTREE_KINDS) as [keyof typeof WORKTREE_KINDS, readonly FindingKind[]][]) {
    const label = id.replace('-', ' ');
    fromFindings(id, label, of(kinds), 'none', (f) => f.detail.replace(/^Worktree /, '').replace(/\.$/, ''));
  }
  fromFindings('ghost-runs', 'ghost runs', of(['ghost-run']), 'none', (f) => `${f.source}: ${f.detail.replace(/\.$/, '')}`);
  checks.push(databaseCheck(facts, findings.filter(databaseBlocks)));
  return { checks, clear: checks.every((c) => c.ok) };
}

function mainCheckout(facts: PreflightFacts): PreflightCheck {
  const id = 'main-checkout';
  if (typeof facts.mainStatus === 'string') return { id, ok: false, line: `main checkout: git status failed: ${facts.mainStatus}`, scenario: PREVENTION_SCENARIO };
  const parts: string[] = [];
  if (facts.operation) parts.push(`${facts.operation} is in progress`);
  const n = facts.mainStatus.length;
  if (n) {
    const sample = facts.mainStatus.slice(0, 3).map((e) => e.path).join(', ');
    parts.push(`${n} uncommitted change${n === 1 ? '' : 's'} (${sample}${n > 3 ? ', ...' : ''}); commit or stash them`);
  }
  if (!parts.length) return { id, ok: true, line: `main checkout: clean (${facts.mainBranch})` };
  // Seed 001's orchestrator-crash guide carries the prevention list; a half-done merge has its own.
  return { id, ok: false, line: `main checkout: ${parts.join('; ')}`, scenario: facts.operation ? MERGE_CONFLICT_SCENARIO : PREVENTION_SCENARIO };
}

const GB = 1e9;

/** "3.2 GB" under 10, "41 GB" above: as precise as a person needs. */
export function formatGb(bytes: number): string {
  const gb = bytes / GB;
  return `${gb < 10 ? (Math.floor(gb * 10) / 10).toFixed(1) : String(Math.floor(gb))} GB`;
}

function freeDisk(facts: PreflightFacts): PreflightCheck {
  const id = 'free-disk';
  const scenario = PREVENTION_SCENARIO;
  if (typeof facts.freeBytes === 'string') return { id, ok: false, line: `free disk: cannot tell on ${facts.root} (${facts.freeBytes})`, scenario };
  const free = formatGb(facts.freeBytes);
  if (facts.freeBytes < facts.minFreeGb * GB) return { id, ok: false, line: `free disk: ${free} on ${facts.root}, below ${facts.minFreeGb} GB`, scenario };
  return { id, ok: true, line: `free disk: ${free}` };
}

function databaseCheck(facts: PreflightFacts, blocking: Finding[]): PreflightCheck {
  const id = 'database';
  const d = facts.database;
  const name = basename(d.path);
  const parts: string[] = [];
  const unreadable = blocking.find((f) => f.kind === 'db-unreadable' || f.kind === 'db-missing');
  if (unreadable) parts.push(unreadable.detail.replace(/\.$/, ''));
  if (blocking.some((f) => f.kind === 'stale-journal')) parts.push(`${name}-journal is a hot rollback journal left by a writer that died`);
  if (d.walPending > 0) parts.push(`${name}-wal holds ${d.walTransactions} committed transaction${d.walTransactions === 1 ? '' : 's'} not yet checkpointed`);
  if (d.holders?.length) parts.push(`${describeHolders(d.holders)}: stop it before launching agents`);
  // A file the scan already called unreadable needs no second opinion from integrity_check.
  if (d.integrity && !d.integrity.ok && !unreadable) parts.push(d.integrity.message);
  if (parts.length) return { id, ok: false, line: `database: ${parts.join('; ')}`, scenario: SCENARIO_FOR['hot-wal'], ...(blocking.length ? { findingIds: blocking.map((f) => f.id) } : {}) };
  if (!d.exists) return { id, ok: true, line: `database: none at ${d.path} yet` };
  const holders = d.holders === null ? '; who has it open cannot be told here' : ', not in use';
  return { id, ok: true, line: `database: ${d.path} integrity ok, no pending WAL${holders}` };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split(/\r?\n/)[0]!;
}
