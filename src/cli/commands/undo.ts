// `lifeline undo [ENTRY] [--cwd DIR] [--yes] [--json]`: undoes a journaled fix-up (the latest
// one not yet undone when ENTRY is absent), after showing what it will do.
import { parseArgs } from 'node:util';
import { pickUndoEntry, undoEntry } from '../../core/fixups/engine';
import { openJournal } from '../../core/fixups/journal';
import { defaultSources } from '../../core/fixups/sources';
import { FixupRefused } from '../../core/fixups/types';
import type { JournalEntry } from '../../core/fixups/types';
import { EXIT, usageError } from '../io';
import type { CliCommand } from '../io';
import { confirm, exitForError, showArg, workspaceFrom } from '../fixup-support';
import { shown } from '../../core/text/shown';

export function describeUndo(e: JournalEntry): string[] {
  const u = e.undo;
  const head = `Undo ${e.id}: ${e.title} (${e.actionId}, ${e.time})`;
  if (u.kind === 'git') return [head, `- ${u.description}`, ...(u.cwd ? [`- in ${u.cwd}`] : []), ...u.steps.map((s) => `  git ${s.map(showArg).join(' ')}`), ...(u.expect ?? []).map((x) => `- only while ${x.ref} is ${x.sha ? `at ${x.sha.slice(0, 12)}` : 'absent'}`)];
  if (u.kind === 'restore-db') return [head, `- restore the database from ${u.backup}`];
  return [head, `- cannot be undone: ${u.reason}`];
}

export const undoCommand: CliCommand = {
  path: ['undo'],
  usage: 'lifeline undo [ENTRY] [--cwd DIR] [--yes] [--json]',
  summary: 'Undo a journaled fix-up (the latest when ENTRY is absent)',
  async run(args, io) {
    let values: { cwd?: string; yes?: boolean; json?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: { cwd: { type: 'string' }, yes: { type: 'boolean', short: 'y' }, json: { type: 'boolean' } } }));
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
      const result = await undoEntry(ws, entry, sources, journal, values.json ? undefined : (l) => io.err.write(`  ${shown(l)}\n`));
      if (values.json) io.out.write(JSON.stringify({ entry: entry.id, result }, null, 2) + '\n');
      else io.out.write(`${shown(result.message)}\n`);
      return result.ok ? EXIT.ok : EXIT.failure;
    } catch (e) {
      return fail(e);
    }
  },
};
