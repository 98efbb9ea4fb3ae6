// The process's own streams, cwd and Ctrl-C as a command's IO.
import type { CliIO } from './io';

export function defaultIO(): CliIO {
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());
  return {
    signal: interrupt.signal,
    out: process.stdout,
    err: process.stderr,
    stdin: process.stdin,
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    cwd: process.cwd(),
  };
}
