// The editor's WorkspaceFixups over the core fix-up engine: the same registry, journal, probes
// and diagnosis the CLI uses, opened on the workspace folder with the editor's settings on top
// of `.lifeline.json`. Loaded with the features bundle, so sql.js and git stay out of activation.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnose } from '../core/engine/diagnose';
import { pickUndoEntry, undoEntry } from '../core/engine/fixups';
import { openJournal } from '../core/fixups/journal';
import { sessionWorkspace } from '../core/engine/session-workspace';
import { defaultSources } from '../core/engine/sources';
import type { ApplyResult, WorkspaceContext } from '../core/fixups/types';
import type { LifelineConfig } from '../core/fixups/config';
import { folderKind } from '../core/git/repository';
import { openWorkspace } from '../core/engine/open-workspace';
import type { OpenOptions } from '../core/engine/open-workspace';
import type { Diagnosis, WorkspaceFixups } from './workspace-fixups';

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
  const open = (extra: OpenOptions = {}): Promise<WorkspaceContext> => openWorkspace(options.folder, { override: options.override(), ...extra });
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
        const r = await diagnose(ws, sources);
        return { findings: r.findings, hasDatabase };
      } catch (e) {
        return { findings: [], hasDatabase, error: firstLine(e) };
      }
    },
  };
}
