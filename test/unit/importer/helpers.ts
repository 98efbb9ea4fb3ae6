// Helpers for the importer tests: the seeds beside the repository, real mojibake made by
// Python's codecs, and a CLI harness that captures what a command prints.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/run';
import type { CliIO } from '../../../src/cli/io';
import { sharedDir } from '../helpers';

export const fixtures = join(__dirname, 'fixtures');

/** The seed runbooks (`shared/seeds`). */
export function seedPath(prefix: string): string {
  const dir = sharedDir('seeds', 'README.md');
  const name = ['000_723727a4d5c1f192.txt', '001_6a82e17b0568944c.txt', '002_3928634ff5338045.txt', '003_3abe21bfef7b18ca.txt', '004_6ccf500ffcefccea.txt'].find((n) => n.startsWith(prefix));
  if (!name) throw new Error(`no seed ${prefix}`);
  return join(dir, name);
}

export function readSeed(prefix: string): Buffer {
  return readFileSync(seedPath(prefix));
}

/**
 * UTF-8 text as a program reading it as `codec` shows it (Python's codecs, run with argv).
 * Bytes the codec has no character for are lost, as they are in real files.
 */
export function mangle(text: string, codec: 'cp1252' | 'mac_roman'): string {
  const script = 'import sys; sys.stdout.buffer.write(sys.argv[1].encode("utf-8").decode(sys.argv[2], errors="ignore").encode("utf-8"))';
  return execFileSync('python3', ['-c', script, text, codec], { encoding: 'utf8' });
}

/** Mojibake read back by Python's codecs: the text re-encoded as `codec`, decoded as UTF-8. */
export function unmangle(text: string, codec: 'cp1252' | 'mac_roman'): string {
  const script = 'import sys; sys.stdout.buffer.write(sys.argv[1].encode(sys.argv[2], errors="ignore").decode("utf-8", errors="ignore").encode("utf-8"))';
  return execFileSync('python3', ['-c', script, text, codec], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function cli(args: string[], cwd: string): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString('utf8')));
  err.on('data', (d: Buffer) => (e += d.toString('utf8')));
  const io: CliIO = { out, err, stdin: new PassThrough(), color: false, cwd };
  const code = await runCli(args, io);
  return { code, out: o, err: e };
}
