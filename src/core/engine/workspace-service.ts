// WorkspaceFixups over the engine: the registry, journal, probes and diagnosis, opened on a
// folder with a caller's conventions on top of `.lifeline.json`. The editor (its settings as the
// override; loaded with the features bundle, so sql.js and git stay out of activation) and the
// guide tool (CLI `lifeline guide`, MCP `lifeline_guide`) both act through it.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnose } from './diagnose';
import { preflight } from './preflight';
import { pickUndoEntry, undoEntry } from './fixups';
import { openJournal } from '../fixups/journal';
import { sessionWorkspace } from './session-workspace';
import { defaultSources } from './sources';
import type { ApplyResult, WorkspaceContext } from '../fixups/types';
import type { LifelineConfig } from '../fixups/config';
import { folderKind } from '../git/repository';
import { openWorkspace } from './open-workspace';
import type { OpenOptions } from './open-workspace';
import type { Diagnosis, WorkspaceFixups } from './workspace-fixups';

export interface EngineOptions {
  /** The workspace folder (a path inside the repository). */
  folder: string;
  /** Conventions from settings, over `.lifeline.json`. */
  override: () => Partial<LifelineConfig>;
  /** Cancels every workspace it opens. */
  signal?: AbortSignal;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split(/\r?\n/)[0]!;
}

export function engineFixups(options: EngineOptions): WorkspaceFixups {
  const sources = defaultSources();
  const open = (extra: OpenOptions = {}): Promise<WorkspaceContext> => openWorkspace(options.folder, { override: options.override(), ...(options.signal ? { signal: options.signal } : {}), ...extra });
  const session = sessionWorkspace((now) => open(now ? { now } : {}), sources);

  return {
    probe: (probe, subject) => session.probe(probe, subject),
    subjects: (spec) => session.subjects(spec),
    bind: (spec, id) => session.bind(spec, id),
    remaining: (subjects) => session.remaining(subjects),
    preview: (target) => session.preview(target),
    apply: (target, applyOptions) => session.apply(target, applyOptions),
    invalidate: () => session.invalidate(),
    async undo(journalId: string): Promise<ApplyResult> {
      const ws = await open();
      const journal = openJournal(ws);
      session.invalidate();
      return undoEntry(ws, await pickUndoEntry(journal, journalId), sources, journal);
    },
    async journal() {
      return openJournal(await open()).list();
    },
    async preflight(signal?: AbortSignal) {
      return preflight(await open(signal ? { signal } : {}), sources);
    },
    async diagnose(signal?: AbortSignal): Promise<Diagnosis> {
      sources.database?.warm?.();
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
        const r = await diagnose(ws, sources);
        return { findings: r.findings, hasDatabase };
      } catch (e) {
        return { findings: [], hasDatabase, error: firstLine(e) };
      }
    },
  };
}
