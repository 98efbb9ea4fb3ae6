// `lifeline journal [--cwd DIR] [--json]`: the fix-ups applied in this workspace, oldest first,
// with whether each was undone.
import { parseArgs } from 'node:util';
import { openJournal } from '../../core/fixups/journal';
import { EXIT, paint, usageError } from '../io';
import type { CliCommand } from '../io';
import { workspaceFrom } from '../fixup-support';
import { shown } from '../../core/text/shown';

export const journalCommand: CliCommand = {
  path: ['journal'],
  usage: 'lifeline journal [--cwd DIR] [--json]',
  summary: 'List journaled fix-ups and whether each was undone',
  async run(args, io) {
    let values: { cwd?: string; json?: boolean };
    try {
      ({ values } = parseArgs({ args, options: { cwd: { type: 'string' }, json: { type: 'boolean' } } }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    const ws = await workspaceFrom(io, values.cwd);
    const entries = await openJournal(ws).list();
    if (values.json) {
      io.out.write(JSON.stringify({ entries }, null, 2) + '\n');
      return EXIT.ok;
    }
    if (entries.length === 0) io.out.write('The journal is empty.\n');
    for (const e of entries) {
      const state = e.undone ? paint(io, 2, `undone ${e.undone}`) : e.undo.kind === 'none' ? paint(io, 2, 'no undo') : 'undoable';
      io.out.write(`${shown(e.id)}  ${shown(e.actionId)}  ${state}\n  ${shown(e.title)}\n`);
    }
    return EXIT.ok;
  },
};
