// Dispatches `lifeline <command>`; each command lives in its own module.
import { join } from 'node:path';
import { formatError, loadPlaybookDir } from '../core/playbooks/loader';

export const EXIT = { ok: 0, failure: 1, usage: 2, noMatch: 3, refused: 4, busy: 5 } as const;

const HELP = `Usage: lifeline <command> [options]

Commands:
  playbooks lint [DIR]    Check playbook files; prints file:line: message per problem

Options:
  -h, --help              Show help
`;

/** Where the built-in playbooks live: beside the bundle (dist/..) or the source tree. */
export function builtInPlaybookDir(): string {
  return join(__dirname, '..', 'playbooks');
}

export async function runCli(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help') {
    out.write(HELP);
    return cmd ? EXIT.ok : EXIT.usage;
  }
  if (cmd === 'playbooks' && sub === 'lint') {
    const dir = rest.find((a) => !a.startsWith('-')) ?? builtInPlaybookDir();
    const { playbooks, errors } = await loadPlaybookDir(dir);
    for (const e of errors) out.write(formatError(e) + '\n');
    if (errors.length === 0) out.write(`${playbooks.length} playbooks, no problems\n`);
    return errors.length ? EXIT.failure : EXIT.ok;
  }
  err.write(`lifeline: unknown command "${argv.join(' ')}"; see lifeline --help\n`);
  return EXIT.usage;
}
