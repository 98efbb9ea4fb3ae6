// Runs the CLI in-process with captured output, as a test needs it: stdin text and whether
// stdin is a terminal are the test's to choose.
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../../src/cli/run';
import type { CliIO } from '../../../src/cli/io';

export async function cli(args: string[], cwd: string, stdinText?: string, tty = false): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (b) => (o += b));
  err.on('data', (b) => (e += b));
  const stdin = Object.assign(Readable.from(stdinText === undefined ? [] : [stdinText]), { isTTY: tty });
  const io: CliIO = { out, err, stdin, color: false, cwd };
  const code = await runCli(args, io);
  return { code, out: o, err: e };
}
