// The editor's WorkspaceFixups over the core fix-up engine: the same registry, journal, probes
// and diagnosis the CLI uses, opened on the workspace folder with the editor's settings on top
// of `.lifeline.json`. Loaded with the features bundle, so sql.js and git stay out of activation.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnose } from '../core/fixups/diagnose';
import type { DiagnoseReport } from '../core/fixups/diagnose';
import { buildRegistry, pickUndoEntry, undoEntry } from '../core/fixups/engine';
import { openJournal } from '../core/fixups/journal';
import { answerProbe } from '../core/fixups/probes';
import { defaultSources } from '../core/fixups/sources';
import { FixupRefused } from '../core/fixups/types';
import type { ActionTarget, ApplyOptions, ApplyResult, Preview, WorkspaceContext } from '../core/fixups/types';
import type { LifelineConfig } from '../core/fixups/config';
import { folderKind, openWorkspace } from '../core/git/workspace';
import type { OpenOptions } from '../core/git/workspace';
import type { ProbeResult } from '../core/decisions/session';
import type { CheckProbe } from '../core/playbooks/model';
import type { Diagnosis, WorkspaceFixups } from './workspace-fixups';

/** A diagnosis this fresh answers a walk's checks without scanning again. */
const REPORT_TTL_MS = 5_000;

export interface EngineOptions {
  /** The workspace folder (a path inside the repository). */
  folder: string;
  /** Conventions from settings, over `.lifeline.json`. */
  override: () => Partial<LifelineConfig>;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split(/\r?\n/)[0]!;
}

export function engineFixups(options: EngineOptions): WorkspaceFixups {
  const sources = defaultSources();
  const registry = buildRegistry(sources);
  // A walk's checks come in a burst: one workspace and one diagnosis answer all of them.
  let cached: { at: number; ws: WorkspaceContext; report: Promise<DiagnoseReport> } | undefined;
  // Preview and apply of one action share a clock, so what the preview named (backup refs with a
  // time in them) is what apply creates.
  const clocks = new Map<string, Date>();
  const key = (t: ActionTarget) => `${t.action}:${t.subject ?? ''}`;

  const open = (extra: OpenOptions = {}): Promise<WorkspaceContext> => openWorkspace(options.folder, { override: options.override(), ...extra });

  const handler = (t: ActionTarget) => {
    const h = registry.get(t.action);
    if (!h) throw new FixupRefused(`${t.action} is not available in this build`, 'invalid');
    return h;
  };

  const report = (ws: WorkspaceContext): Promise<DiagnoseReport> => {
    const r = diagnose(ws, sources);
    cached = { at: Date.now(), ws, report: r };
    r.catch(() => (cached = undefined));
    return r;
  };

  return {
    async probe(probe: CheckProbe, subject: string | undefined): Promise<ProbeResult> {
      try {
        const fresh = cached && Date.now() - cached.at < REPORT_TTL_MS ? cached : undefined;
        const ws = fresh?.ws ?? (await open());
        const answer = await answerProbe(ws, await (fresh?.report ?? report(ws)), probe, subject, sources);
        return { answer };
      } catch (e) {
        return { answer: 'unknown', detail: firstLine(e) };
      }
    },
    async preview(target: ActionTarget): Promise<Preview> {
      const now = new Date();
      clocks.set(key(target), now);
      return handler(target).preview(await open({ now: () => now }), target);
    },
    async apply(target: ActionTarget, applyOptions: ApplyOptions): Promise<ApplyResult> {
      const clock = clocks.get(key(target));
      const ws = await open(clock ? { now: () => clock } : {});
      clocks.delete(key(target));
      cached = undefined;
      return handler(target).apply(ws, target, { journal: openJournal(ws), ...applyOptions });
    },
    async undo(journalId: string): Promise<ApplyResult> {
      const ws = await open();
      const journal = openJournal(ws);
      cached = undefined;
      return undoEntry(ws, await pickUndoEntry(journal, journalId), sources, journal);
    },
    async journal() {
      return openJournal(await open()).list();
    },
    async diagnose(signal?: AbortSignal): Promise<Diagnosis> {
      let ws: WorkspaceContext;
      try {
        ws = await open(signal ? { signal } : {});
      } catch (e) {
        // A plain folder or a fresh repository is not an error: it is first contact.
        const kind = await folderKind(options.folder, signal).catch(() => undefined);
        if (kind === 'not-git' || kind === 'no-commits') return { findings: [], hasDatabase: false, folder: kind };
        return { findings: [], hasDatabase: false, error: firstLine(e) };
      }
      const hasDatabase = await stat(join(ws.root, ws.config.database)).then(
        (s) => s.isFile(),
        () => false,
      );
      try {
        const r = await report(ws);
        return { findings: r.findings, hasDatabase };
      } catch (e) {
        return { findings: [], hasDatabase, error: firstLine(e) };
      }
    },
  };
}
