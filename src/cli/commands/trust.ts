// `lifeline trust [DIR]`: adds a folder to the trust list that lets `lifeline mcp` run fix and
// undo there. Only a person at a terminal can: stdin and stdout must both be one, and there is
// no --yes, so an agent cannot grant itself trust.
import { resolve } from 'node:path';
import { EXIT, usageError } from '../io';
import type { CliCommand } from '../io';
import { confirm } from '../fixup-support';
import { addTrusted, trustFile } from '../../tools/trust';
import { findRepositoryRoot } from '../../core/git/repository';
import { shown } from '../../core/text/shown';

export const trustCommand: CliCommand = {
  path: ['trust'],
  usage: 'lifeline trust [DIR]',
  summary: 'Let agents run fix-ups and undo in DIR through lifeline mcp (asks at a terminal)',
  async run(args, io) {
    if (args.length > 1 || args.some((a) => a.startsWith('-'))) return usageError(io, 'trust takes one DIR and no options (it always asks)');
    const out = io.out as NodeJS.WritableStream & { isTTY?: boolean };
    if (!io.stdin.isTTY || !out.isTTY) {
      io.err.write('lifeline: refused: trust is granted by a person at a terminal (stdin and stdout must be one)\n');
      return EXIT.refused;
    }
    const dir = resolve(io.cwd, args[0] ?? '.');
    const root = await findRepositoryRoot(dir).catch(() => dir);
    if (!(await confirm(io, `Let agents apply fix-ups and undo in ${shown(root)}?`))) {
      io.err.write('lifeline: not trusted (not confirmed)\n');
      return EXIT.refused;
    }
    const real = await addTrusted(root);
    io.out.write(`Trusted ${shown(real)} (${shown(trustFile())}).\n`);
    return EXIT.ok;
  },
};
