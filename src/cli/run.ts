// Dispatches `lifeline <command>`. Each command lives in its own module under commands/;
// add new ones to COMMANDS.
import { EXIT, usageError } from './io';
import type { CliCommand, CliIO } from './io';
import { playbooksLint } from './commands/playbooks-lint';
import { playbooksImport } from './commands/playbooks-import';
import { playbooksList } from './commands/playbooks-list';
import { classify } from './commands/classify';
import { diagnoseCommand } from './commands/diagnose';
import { preflightCommand } from './commands/preflight';
import { fixCommand } from './commands/fix';
import { undoCommand } from './commands/undo';
import { journalCommand } from './commands/journal';
import { runCommand } from './run-command';
import { defaultIO } from './io-default';
import { guideCommand } from './commands/guide';
import { checkCommand } from './commands/check-command';
import { recordAttempt } from './commands/record-attempt';
import { mcpCommand } from './commands/mcp';
import { trustCommand } from './commands/trust';
import { hookCommand, hookInstallCommand } from './commands/hook';
import { mcpInstallCommand } from './commands/mcp-install';

export const COMMANDS: CliCommand[] = [
  classify,
  playbooksLint,
  playbooksImport,
  playbooksList,
  diagnoseCommand,
  preflightCommand,
  fixCommand,
  undoCommand,
  journalCommand,
  guideCommand,
  checkCommand,
  recordAttempt,
  mcpCommand,
  mcpInstallCommand,
  trustCommand,
  hookCommand,
  hookInstallCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  return `Usage: lifeline <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nEvery command takes --help. Exit codes: 0 ok, 1 failure, 2 bad usage, 3 no match, 4 refused for safety, 5 database busy.\n`;
}

export async function runCli(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help') {
    io.out.write(help());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  // Longest command path that prefixes argv wins.
  const command = [...COMMANDS]
    .sort((a, b) => b.path.length - a.path.length)
    .find((c) => c.path.every((w, i) => argv[i] === w));
  if (!command) {
    // `lifeline playbooks --help`: the commands under that word.
    const group = COMMANDS.filter((c) => c.path.length > 1 && c.path[0] === argv[0]);
    if (group.length && (argv[1] === '-h' || argv[1] === '--help')) {
      io.out.write(`Usage:\n${group.map((c) => `  ${c.usage}  ${c.summary}`).join('\n')}\n`);
      return EXIT.ok;
    }
    return usageError(io, `unknown command "${argv.slice(0, 2).join(' ')}"; see lifeline --help`);
  }
  const args = argv.slice(command.path.length);
  if (args.includes('-h') || args.includes('--help')) {
    io.out.write(`Usage: ${command.usage}\n\n${command.summary}\n`);
    return EXIT.ok;
  }
  return runCommand(command, args, io);
}
