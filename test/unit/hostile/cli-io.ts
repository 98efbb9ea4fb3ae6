// A CLI run captured in memory for the hostile-state suite: the real `runCli`, its exit code,
// what it wrote to stdout and stderr, and how long it took.
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../../src/cli/run';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  ms: number;
}

export async function cli(args: string[], cwd: string, stdinText?: string): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += String(d)));
  err.on('data', (d) => (e += String(d)));
  const stdin = Readable.from(stdinText === undefined ? [] : [stdinText]) as NodeJS.ReadableStream & { isTTY?: boolean };
  if (stdinText === undefined) stdin.isTTY = true;
  const t = performance.now();
  const code = await runCli(args, { out, err, stdin, color: false, cwd });
  return { code, out: o, err: e, ms: performance.now() - t };
}
