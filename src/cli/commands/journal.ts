// `lifeline journal [--cwd DIR] [--json] [--undoable]`: the fix-ups applied in this workspace,
// oldest first, with whether each can still be undone (an undo's own entry never can: undoing it
// would make the change again); `--undoable` lists only those that can.
import { parseArgs } from 'node:util';
import { entryStatus, openJournal } from '../../core/fixups/journal';
import { canUndo } from '../../core/fixups/undo-state';
import { EXIT, paint, usageError } from '../io';
import type { CliCommand } from '../io';
import { workspaceFrom } from '../fixup-support';
import { journalJson } from '../../tools/diagnose';
import { shown } from '../../core/text/shown';

export const journalCommand: CliCommand = {
  path: ['journal'],
  usage: 'lifeline journal [--cwd DIR] [--json] [--undoable]',
  summary: 'List journaled fix-ups and whether each can still be undone',
  async run(args, io) {
    let values: { cwd?: string; json?: boolean; undoable?: boolean };
    try {
      ({ values } = parseArgs({ args, options: { cwd: { type: 'string' }, json: { type: 'boolean' }, undoable: { type: 'boolean' } } }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    const ws = await workspaceFrom(io, values.cwd);
    const { entries: all, problems } = await openJournal(ws).scan();
    const entries = all.filter((e) => !values.undoable || canUndo(e));
    if (values.json) {
      io.out.write(JSON.stringify(journalJson(all, problems, values.undoable), null, 2) + '\n');
      return EXIT.ok;
    }
    if (entries.length === 0 && problems.length === 0) io.out.write(values.undoable ? 'No fix-up in the journal can be undone.\n' : 'The journal is empty.\n');
    for (const e of entries) {
      const { status, line } = entryStatus(e);
      const text = status === 'undoable' ? line : status === 'interrupted' || status === 'undo-interrupted' || status === 'old-format' ? paint(io, 33, shown(line)) : paint(io, 2, shown(line));
      io.out.write(`${shown(e.id)}  ${shown(e.actionId)}  ${text}\n  ${shown(e.title)}\n`);
    }
    for (const p of problems) io.out.write(`${paint(io, 31, 'not trusted:')} ${shown(p)}\n`);
    return EXIT.ok;
  },
};
