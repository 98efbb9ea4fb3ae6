// `lifeline undo [ENTRY] [--cwd DIR] [--yes] [--force] [--json]`: undoes a journaled fix-up (the
// latest one not yet undone when ENTRY is absent), after showing what it will do. An interrupted
// entry is settled (what happened is undone; a change that never happened is closed), an
// interrupted undo finished. `--force` restores a database backup even over later writes.
import { parseArgs } from 'node:util';
import { pickUndoEntry, undoEntry } from '../../core/fixups/engine';
import { entryStatus, openJournal } from '../../core/fixups/journal';
import { defaultSources } from '../../core/fixups/sources';
import { FixupRefused } from '../../core/fixups/types';
import type { GitUndoOp, JournalEntry } from '../../core/fixups/types';
import { EXIT, usageError } from '../io';
import type { CliCommand } from '../io';
import { confirm, exitForError, showArg, workspaceFrom } from '../fixup-support';
import { shown } from '../../core/text/shown';

function describeOp(op: GitUndoOp): string {
  const at = (sha: string | null | undefined) => (sha ? `at ${sha.slice(0, 12)}` : 'absent');
  switch (op.op) {
    case 'restore-ref':
      return `re-create ${op.ref} at ${op.sha.slice(0, 12)}, only while it does not exist`;
    case 'delete-ref':
      return `delete ${op.ref}${op.expect ? `, only while it is ${at(op.expect)}` : ''}`;
    case 'reset-branch':
      return `reset ${op.ref} in ${op.worktree} to ${op.to.slice(0, 12)} (${op.mode === 'mixed' ? 'files kept as changes' : 'local changes kept'})${op.expect ? `, only while it is ${at(op.expect)}` : ''}`;
    case 'recreate-worktree':
      return `re-create worktree ${op.path} ${op.branch ? `on ${op.branch}` : `detached at ${op.sha.slice(0, 12)}`}`;
    case 'apply-stash':
      return `apply the stash ${op.ref} in ${op.worktree}`;
    case 'lock-worktree':
      return `lock worktree ${op.path} again${op.reason ? ` (${showArg(op.reason)})` : ''}`;
  }
}

export function describeUndo(e: JournalEntry): string[] {
  const u = e.undo;
  const head = `Undo ${e.id}: ${e.title} (${e.actionId}, ${e.time})`;
  const state = entryStatus(e);
  const note = state.status === 'undoable' ? [] : [`- ${state.line}`];
  if (u.kind === 'git-ops') return [head, ...note, `- ${u.description}`, ...u.ops.map((op) => `  ${describeOp(op)}`)];
  if (u.kind === 'git') return [head, `- ${state.line}; recorded: ${u.description}`];
  if (u.kind === 'restore-db') return [head, ...note, `- restore the database from ${u.backup}`];
  return [head, `- cannot be undone: ${u.reason}`];
}

export const undoCommand: CliCommand = {
  path: ['undo'],
  usage: 'lifeline undo [ENTRY] [--cwd DIR] [--yes] [--force] [--json]',
  summary: 'Undo a journaled fix-up (the latest when ENTRY is absent); --force restores a database backup even over later writes (backed up first)',
  async run(args, io) {
    let values: { cwd?: string; yes?: boolean; force?: boolean; json?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: { cwd: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, force: { type: 'boolean' }, json: { type: 'boolean' } } }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    if (positionals.length > 1) return usageError(io, 'undo takes at most one journal entry id');
    const ws = await workspaceFrom(io, values.cwd);
    const journal = openJournal(ws);
    const sources = defaultSources();
    const fail = (e: unknown) => {
      const { code, message } = exitForError(e);
      if (values.json) io.out.write(JSON.stringify({ error: message, exitCode: code }) + '\n');
      else io.err.write(`lifeline: ${shown(message)}\n`);
      return code;
    };
    let entry: JournalEntry;
    try {
      entry = await pickUndoEntry(journal, positionals[0]);
    } catch (e) {
      return fail(e);
    }
    if (!values.json) io.out.write(describeUndo(entry).map(shown).join('\n') + '\n');
    if (!values.yes) {
      if (!io.stdin.isTTY) return fail(new FixupRefused('refused: no terminal to confirm on; pass --yes', 'unsafe'));
      if (!(await confirm(io, 'Undo this?'))) return fail(new Error('not undone (not confirmed)'));
    }
    try {
      const result = await undoEntry(ws, entry, sources, journal, values.json ? undefined : (l) => io.err.write(`  ${shown(l)}\n`), { force: Boolean(values.force) });
      if (values.json) io.out.write(JSON.stringify({ entry: entry.id, result }, null, 2) + '\n');
      else io.out.write(`${shown(result.message)}\n`);
      return result.ok ? EXIT.ok : EXIT.failure;
    } catch (e) {
      return fail(e);
    }
  },
};
