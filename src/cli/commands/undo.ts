// `lifeline undo [ENTRY] [--cwd DIR] [--yes] [--force] [--json]`: undoes a journaled fix-up (the
// latest one not yet undone when ENTRY is absent), after showing what it will do. An interrupted
// entry is settled (what happened is undone; a change that never happened is closed), an
// interrupted undo finished. `--force` restores a database backup even over later writes.
import { parseArgs } from 'node:util';
import { EXIT, usageError } from '../io';
import type { CliCommand } from '../io';
import { confirm } from '../fixup-support';
import { runUndo } from '../../tools/undo';
import type { UndoConsent } from '../../tools/undo';
import type { ToolContext } from '../../tools/outcome';
import { shown } from '../../core/text/shown';

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
    const ctx: ToolContext = { cwd: io.cwd, ...(io.signal ? { signal: io.signal } : {}), playbooks: () => Promise.resolve([]) };
    const consent: UndoConsent = async () => {
      if (values.yes) return { yes: true };
      if (!io.stdin.isTTY) return { yes: false, error: 'refused: no terminal to confirm on; pass --yes', exitCode: EXIT.refused };
      if (!(await confirm(io, 'Undo this?'))) return { yes: false, error: 'not undone (not confirmed)', exitCode: EXIT.failure };
      return { yes: true };
    };
    const outcome = await runUndo(ctx, { ...(positionals[0] !== undefined ? { entry: positionals[0] } : {}), ...(values.cwd !== undefined ? { cwd: values.cwd } : {}), force: Boolean(values.force) }, consent, {
      recheck: false,
      ...(values.json ? {} : { onEntry: (lines: string[]) => io.out.write(lines.map(shown).join('\n') + '\n'), onProgress: (l: string) => io.err.write(`  ${shown(l)}\n`) }),
    });
    const { data } = outcome;
    if (values.json) io.out.write(data.result ? JSON.stringify(data, null, 2) + '\n' : JSON.stringify(data) + '\n');
    else if (data.result) io.out.write(`${shown(data.result.message)}\n`);
    else io.err.write(`lifeline: ${shown(data.error ?? 'failed')}\n`);
    return outcome.exitCode;
  },
};
