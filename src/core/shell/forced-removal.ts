// Recognises `git [-C DIR] worktree remove --force PATH` in a command line: the one forbidden
// command whose verdict depends on the workspace (it is refused only while PATH holds
// uncommitted work). Pure; the terminal guard and lifeline_check_command both ask it.
import { isAbsolute, join } from 'node:path';
import { splitCommandLine } from './command-line';

/**
 * The worktree path of `git [-C DIR] [opts] worktree remove --force|-f PATH`, if that is the
 * command, with the folder `-C` names (git resolves PATH from there).
 */
export function forcedWorktreeRemoval(commandLine: string): { path: string; dir?: string } | undefined {
  const split = splitCommandLine(commandLine.replace(/\s*(?:&&|;|\|\|).*$/, ''), process.platform === 'win32');
  if (!split.ok) return undefined;
  const a = split.argv;
  const git = a.findIndex((x) => /(?:^|[\\/])git(?:\.exe)?$/.test(x));
  if (git < 0) return undefined;
  const rest = a.slice(git + 1);
  const wt = rest.indexOf('worktree');
  if (wt < 0 || rest[wt + 1] !== 'remove') return undefined;
  const args = rest.slice(wt + 2);
  if (!args.some((x) => x === '--force' || x === '-f' || x === '-ff')) return undefined;
  const path = args.filter((x) => !x.startsWith('-')).at(-1);
  if (path === undefined) return undefined;
  // Several -C options compose, as in git.
  let dir: string | undefined;
  for (let i = 0; i < wt; i++) if (rest[i] === '-C' && rest[i + 1] !== undefined) dir = dir === undefined || isAbsolute(rest[i + 1]!) ? rest[i + 1]! : join(dir, rest[i + 1]!);
  return dir === undefined ? { path } : { path, dir };
}
