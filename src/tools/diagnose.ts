// lifeline_diagnose and lifeline_journal: the workspace's findings with the fix-ups that apply,
// and the journaled fix-ups with whether each can still be undone, in the CLI's published shapes.
import { diagnose } from '../core/engine/diagnose';
import type { DiagnoseReport } from '../core/engine/diagnose';
import { entryStatus, openJournal } from '../core/fixups/journal';
import { defaultSources } from '../core/engine/sources';
import type { Finding, JournalEntry, WorkspaceContext } from '../core/fixups/types';
import { canUndo } from '../core/fixups/undo-state';
import { EXIT, toolWorkspace } from './outcome';
import type { ToolContext, ToolOutcome } from './outcome';

/** The published shape: exactly these keys, in this order. */
export function findingJson(f: Finding) {
  return {
    id: f.id,
    kind: f.kind,
    subject: f.subject,
    source: f.source,
    scenario: f.scenario,
    detail: f.detail,
    actions: f.actions.map((a) => ({ id: a.id, title: a.title, effect: a.effect })),
  };
}

export function diagnoseJson(report: DiagnoseReport, timings = false): Record<string, unknown> {
  const out: Record<string, unknown> = { findings: report.findings.map(findingJson) };
  if (timings) out.timings = report.timings;
  return out;
}

/** Starts loading the sources' readers while the caller opens the workspace. */
export function warmSources(): void {
  defaultSources().database?.warm?.();
}

export function diagnoseReport(ws: WorkspaceContext): Promise<DiagnoseReport> {
  return diagnose(ws, defaultSources());
}

export async function diagnoseTool(ctx: ToolContext, input: { cwd?: string } = {}): Promise<ToolOutcome> {
  warmSources();
  const ws = await toolWorkspace(ctx, input.cwd);
  return { data: diagnoseJson(await diagnoseReport(ws)), exitCode: EXIT.ok };
}

export function journalJson(entries: JournalEntry[], problems: string[], undoable = false): Record<string, unknown> {
  const shown = entries.filter((e) => !undoable || canUndo(e));
  return { entries: shown.map((e) => ({ ...e, status: entryStatus(e).status, undoable: canUndo(e) })), problems };
}

export async function journalTool(ctx: ToolContext, input: { cwd?: string; undoable?: boolean } = {}): Promise<ToolOutcome> {
  const ws = await toolWorkspace(ctx, input.cwd);
  const { entries, problems } = await openJournal(ws).scan();
  return { data: journalJson(entries, problems, input.undoable), exitCode: EXIT.ok };
}
