// Runs one command and turns what it throws into its documented exit code and one line.
import type { CliCommand, CliIO } from './io';
import { exitForError } from './fixup-support';
import { shown } from '../core/text/shown';

export async function runCommand(command: CliCommand, args: string[], io: CliIO): Promise<number> {
  try {
    return await command.run(args, io);
  } catch (e) {
    // A refusal (a path outside the workspace, a hostile name) or unreadable input (e.g.
    // .lifeline.json a FIFO) keeps its documented code.
    const { code, message } = exitForError(e);
    io.err.write(`lifeline: ${shown(message)}\n`);
    return code;
  }
}
