// `lifeline playbooks lint [DIR]`: validates playbook files, one `file:line: message` per problem.
import { parseArgs } from 'node:util';
import { loadPlaybookDir } from '../../core/playbooks/loader';
import { formatError } from '../../core/playbooks/collection';
import { builtInPlaybookDir } from '../paths';
import { EXIT, usageError } from '../io';
import type { CliCommand } from '../io';
import { shown } from '../../core/text/shown';
import { plural } from '../../core/text/strings';

export const playbooksLint: CliCommand = {
  path: ['playbooks', 'lint'],
  usage: 'lifeline playbooks lint [DIR]',
  summary: 'Check playbook files (the built-ins when DIR is absent)',
  async run(args, io) {
    let positionals: string[];
    try {
      ({ positionals } = parseArgs({ args, allowPositionals: true, options: {} }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    if (positionals.length > 1) return usageError(io, 'playbooks lint takes one folder');
    const dir = positionals[0] ?? builtInPlaybookDir();
    const { playbooks, errors, warnings = [] } = await loadPlaybookDir(dir);
    for (const e of [...errors, ...warnings]) io.out.write(shown(formatError(e)) + '\n');
    // Warnings do not fail the lint: the playbook still loads, its commands just cannot be filled.
    if (errors.length === 0) io.out.write(`${plural(playbooks.length, 'playbook')}, ${warnings.length ? plural(warnings.length, 'warning') : 'no problems'}\n`);
    return errors.length ? EXIT.failure : EXIT.ok;
  },
};
