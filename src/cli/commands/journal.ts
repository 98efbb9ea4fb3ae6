// `lifeline journal [--cwd DIR] [--json]`: the fix-ups applied in this workspace, oldest first,
// with whether each was undone.
import { parseArgs } from 'node:util';
import { entryStatus, openJournal } from '../../core/fixups/journal';
import { EXIT, paint, usageError } from '../io';
import type { CliCommand } from '../io';
import { workspaceFrom } from '../fixup-support';

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
    const { entries, problems } = await openJournal(ws).scan();
    if (values.json) {
      io.out.write(JSON.stringify({ entries: entries.map((e) => ({ ...e, status: entryStatus(e).status })), problems }, null, 2) + '\n');
      return EXIT.ok;
    }
    if (entries.length === 0 && problems.length === 0) io.out.write('The journal is empty.\n');
    for (const e of entries) {
      const { status, line } = entryStatus(e);
      const shown = status === 'undoable' ? line : status === 'interrupted' || status === 'undo-interrupted' || status === 'old-format' ? paint(io, 33, line) : paint(io, 2, line);
      io.out.write(`${e.id}  ${e.actionId}  ${shown}\n  ${e.title}\n`);
    }
    for (const p of problems) io.out.write(`${paint(io, 31, 'not trusted:')} ${p}\n`);
    return EXIT.ok;
  },
};
