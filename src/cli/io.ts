// What every CLI command receives: its arguments and where to write. Commands return an exit code.
import { shown } from '../core/text/shown';
import { EXIT } from '../tools/outcome';

// The exit codes and the usage error are the tool layer's (src/tools/outcome.ts): one table for the CLI and MCP.
export { EXIT, UsageError } from '../tools/outcome';

export interface CliIO {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Standard input, for `-` arguments and confirmations. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Colour only for people at a terminal (and never when NO_COLOR is set). */
  color: boolean;
  cwd: string;
  /** Aborted on Ctrl-C, so long git work (find-culprit, big scans) stops cleanly. */
  signal?: AbortSignal;
}

export interface CliCommand {
  /** Words that select it, e.g. ['playbooks', 'lint']. */
  path: string[];
  usage: string;
  summary: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** Writes a one-line error and returns the usage exit code. */
export function usageError(io: CliIO, message: string): number {
  io.err.write(`lifeline: ${shown(message)}\n`);
  return EXIT.usage;
}

export function paint(io: CliIO, code: number, text: string): string {
  return io.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}
