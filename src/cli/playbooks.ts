// Loads the built-in playbooks plus a user folder (which overrides by id) for CLI commands.
import { loadPlaybookDir } from '../core/playbooks/loader';
import { formatError, mergePlaybooks } from '../core/playbooks/collection';
import type { Playbook } from '../core/playbooks/model';
import { builtInPlaybookDir, compiledPlaybooksFile } from './paths';
import { readCompiledPlaybooks } from '../core/playbooks/compiled';
import { EXIT } from './io';
import type { CliIO } from './io';
import { shown } from '../core/text/shown';
import type { ToolContext } from '../tools/outcome';

/** The playbooks, or an exit code after a one-line error. Broken user files are reported, not fatal. */
export async function loadPlaybooks(io: CliIO, userDir?: string): Promise<Playbook[] | number> {
  const compiled = compiledPlaybooksFile();
  const builtIn = compiled ? await readCompiledPlaybooks(compiled) : await loadPlaybookDir(builtInPlaybookDir());
  if (builtIn.errors.length) {
    io.err.write(`lifeline: built-in playbooks are broken: ${shown(formatError(builtIn.errors[0]!))}\n`);
    return EXIT.failure;
  }
  if (!userDir) return builtIn.playbooks;
  const user = await loadPlaybookDir(userDir);
  for (const e of user.errors) io.err.write(`lifeline: ${shown(formatError(e))}\n`);
  return mergePlaybooks(builtIn.playbooks, user.playbooks);
}

/** What a tool runs against from the command line: this folder, Ctrl-C, and the playbooks loaded once. */
export function cliToolContext(io: CliIO, userDir?: string): ToolContext {
  let loaded: Promise<Playbook[]> | undefined;
  return {
    cwd: io.cwd,
    ...(io.signal ? { signal: io.signal } : {}),
    playbooks: () =>
      (loaded ??= loadPlaybooks(io, userDir).then((p) => {
        if (typeof p === 'number') throw new Error('the built-in playbooks are broken');
        return p;
      })),
  };
}
