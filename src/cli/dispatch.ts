// The CLI's front door. The commands agents and scripts run over and over (diagnose, fix, undo,
// journal, preflight) load with it; every other command, and help, comes from the full command table in
// a bundle of its own (dist/cli-full.js: the Markdown and YAML parsers, the MCP SDK), so a
// `lifeline diagnose` does not compile a megabyte it never runs.
import { defaultIO } from './io-default';
import type { CliIO } from './io';
import { diagnoseCommand } from './commands/diagnose';
import { fixCommand } from './commands/fix';
import { undoCommand } from './commands/undo';
import { journalCommand } from './commands/journal';
import { preflightCommand } from './commands/preflight';
import { runCommand } from './run-command';

/** Single-word commands only: no other command's path starts with theirs (checked by a unit test against the full table). */
export const FAST_COMMANDS = [diagnoseCommand, fixCommand, undoCommand, journalCommand, preflightCommand];

export async function dispatch(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const fast = FAST_COMMANDS.find((c) => argv[0] === c.path[0]);
  const args = argv.slice(1);
  if (fast && !args.includes('-h') && !args.includes('--help')) return runCommand(fast, args, io);
  const { runCli } = await import('./run');
  return runCli(argv, io);
}
