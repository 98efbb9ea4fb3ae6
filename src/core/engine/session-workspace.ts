// What a recovery session needs from a real workspace (SessionDeps minus trust and callbacks),
// over the fix-up engine: probes with their evidence, subjects and their bindings, previews and
// applications with one clock between them, and the diagnosis an end checks. The editor and
// `lifeline guide` both use it, so a guide walks the same way in either.
import type { ProbeResult } from '../decisions/session';
import type { Remaining, Subject } from '../decisions/state';
import type { CheckProbe, SubjectSpec } from '../playbooks/model';
import { diagnose } from './diagnose';
import type { DiagnoseReport } from './diagnose';
import { buildRegistry } from './fixups';
import { openJournal } from '../fixups/journal';
import { explainProbe } from './probes';
import type { Sources } from '../fixups/registry';
import { bindSubject, remainingProblems, subjectCandidates } from './subjects';
import { FixupRefused } from '../fixups/types';
import type { ActionTarget, ApplyOptions, ApplyResult, Preview, WorkspaceContext } from '../fixups/types';

/** A diagnosis this fresh answers a walk's checks without scanning again. */
const REPORT_TTL_MS = 5_000;

/** What a guide asks of the workspace; the editor's WorkspaceFixups adds undo, journal and diagnose. */
export interface GuideWorkspace {
  probe(probe: CheckProbe, subject: string | undefined): Promise<ProbeResult>;
  /** What a guide can be about, and what each subject binds (subjects.ts). */
  subjects(spec: SubjectSpec): Promise<Subject[]>;
  bind(spec: SubjectSpec, id: string): Promise<Subject | undefined>;
  /** What a fresh diagnosis still finds, for a guide's end. */
  remaining(subjects: readonly Subject[]): Promise<Remaining[]>;
  preview(target: ActionTarget): Promise<Preview>;
  apply(target: ActionTarget, options: ApplyOptions): Promise<ApplyResult>;
  /** Forget the shared diagnosis: the user may have changed the workspace (killed a process, edited a file). */
  invalidate(): void;
}

export type SessionWorkspace = GuideWorkspace;

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split(/\r?\n/)[0]!;
}

/** `open` opens the workspace, optionally with a fixed clock (preview and apply share one). */
export function sessionWorkspace(open: (now?: () => Date) => Promise<WorkspaceContext>, sources: Sources): SessionWorkspace {
  const registry = buildRegistry(sources);
  // A walk's checks come in a burst: one workspace and one diagnosis answer all of them.
  let cached: { at: number; ws: WorkspaceContext; report: Promise<DiagnoseReport> } | undefined;
  // Preview and apply of one action share a clock, so what the preview named (backup refs with a
  // time in them) is what apply creates.
  const clocks = new Map<string, Date>();
  const key = (t: ActionTarget) => `${t.action}:${t.subject ?? ''}`;

  const handler = (t: ActionTarget) => {
    const h = registry.get(t.action);
    if (!h) throw new FixupRefused(`${t.action} is not available in this build`, 'invalid');
    return h;
  };

  const fresh = async (): Promise<{ ws: WorkspaceContext; report: DiagnoseReport }> => {
    const hit = cached && Date.now() - cached.at < REPORT_TTL_MS ? cached : undefined;
    if (hit) return { ws: hit.ws, report: await hit.report };
    const ws = await open();
    const r = diagnose(ws, sources);
    cached = { at: Date.now(), ws, report: r };
    r.catch(() => (cached = undefined));
    return { ws, report: await r };
  };

  return {
    invalidate: () => (cached = undefined),
    async probe(probe, subject) {
      try {
        const { ws, report } = await fresh();
        return await explainProbe(ws, report, probe, subject, sources);
      } catch (e) {
        return { answer: 'unknown', detail: firstLine(e) };
      }
    },
    async subjects(spec) {
      const { ws, report } = await fresh();
      return subjectCandidates(report, spec, ws.config.mainBranch);
    },
    async bind(spec, id) {
      const { ws, report } = await fresh();
      return bindSubject(report, spec, id, ws.config.mainBranch);
    },
    async remaining(subjects) {
      // The end must see the workspace as it is now, not as it was before the last fix-up.
      cached = undefined;
      const { report } = await fresh();
      return remainingProblems(report, subjects);
    },
    async preview(target) {
      const now = new Date();
      clocks.set(key(target), now);
      return handler(target).preview(await open(() => now), target);
    },
    async apply(target, options) {
      const clock = clocks.get(key(target));
      const ws = await open(clock ? () => clock : undefined);
      clocks.delete(key(target));
      cached = undefined;
      return handler(target).apply(ws, target, { journal: openJournal(ws), ...options });
    },
  };
}
