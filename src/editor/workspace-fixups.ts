// The editor's door to the fix-up engine (src/core/fixups): probes that answer the playbooks'
// checks, fix-up previews and applications, undo from the journal, and the diagnosis that feeds
// the Stuck Workstreams view. Everything behind it is loaded at first use.
import type { ActionTarget, ApplyOptions, ApplyResult, Finding, JournalEntry, Preview } from '../core/fixups/types';
import type { CheckProbe, SubjectSpec } from '../core/playbooks/model';
import type { ProbeResult } from '../core/decisions/session';
import type { Remaining, Subject } from '../core/decisions/state';

export interface Diagnosis {
  findings: Finding[];
  /** Whether the orchestration database exists (the tree's welcome view shows when it does not). */
  hasDatabase: boolean;
  /** One line when the diagnosis could not run. */
  error?: string;
}

export interface WorkspaceFixups {
  probe(probe: CheckProbe, subject: string | undefined): Promise<ProbeResult>;
  /** What a guide can be about, and what each subject binds (src/core/fixups/subjects.ts). */
  subjects(spec: SubjectSpec): Promise<Subject[]>;
  bind(spec: SubjectSpec, id: string): Promise<Subject | undefined>;
  /** What a fresh diagnosis still finds, for a guide's end. */
  remaining(subjects: readonly Subject[]): Promise<Remaining[]>;
  preview(target: ActionTarget): Promise<Preview>;
  apply(target: ActionTarget, options: ApplyOptions): Promise<ApplyResult>;
  undo(journalId: string): Promise<ApplyResult>;
  journal(): Promise<JournalEntry[]>;
  diagnose(signal?: AbortSignal): Promise<Diagnosis>;
}
