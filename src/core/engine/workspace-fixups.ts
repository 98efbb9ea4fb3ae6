// A front-end's door to the engine: probes that answer the playbooks' checks, fix-up previews
// and applications, undo from the journal, and the diagnosis that feeds the editor's Stuck
// Workstreams view, and the preflight check. Types only; workspace-service.ts implements it.
import type { ApplyResult, Finding, JournalEntry } from '../fixups/types';
import type { GuideWorkspace } from './session-workspace';
import type { PreflightReport } from './preflight';

export interface Diagnosis {
  findings: Finding[];
  /** Whether the orchestration database exists (the tree's welcome view shows when it does not). */
  hasDatabase: boolean;
  /** One line when the diagnosis could not run. */
  error?: string;
  /** A folder that is no repository, or one without commits yet: the view welcomes it instead of an error. */
  folder?: 'not-git' | 'no-commits';
}

export interface WorkspaceFixups extends GuideWorkspace {
  undo(journalId: string): Promise<ApplyResult>;
  journal(): Promise<JournalEntry[]>;
  diagnose(signal?: AbortSignal): Promise<Diagnosis>;
  /** Seed 001's launch checklist (read-only); rejects with one line when the folder cannot be opened as a workspace. */
  preflight(signal?: AbortSignal): Promise<PreflightReport>;
}
