// The CLI as a child process, for hostile state that could hang or exhaust memory: a hang must
// fail the test (the child is killed at a deadline), not hang the suite, which an in-process run
// blocked on a FIFO read would. The bundle is built once per test file from the sources.
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { locateSqlWasm } from '../../../src/core/database/sqljs';

const ROOT = join(__dirname, '..', '..', '..');

let bundle: Promise<{ file: string; dir: string }> | undefined;

function built(): Promise<{ file: string; dir: string }> {
  bundle ??= (async () => {
    // dist/cli.js with the built-in playbooks beside dist/, as the CLI finds them when installed.
    const base = mkdtempSync(join(tmpdir(), 'lifeline-hostile-cli-'));
    const dir = join(base, 'dist');
    mkdirSync(dir);
    symlinkSync(join(ROOT, 'playbooks'), join(base, 'playbooks'));
    const file = join(dir, 'cli.js');
    await build({ entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: file, logLevel: 'error' });
    copyFileSync(locateSqlWasm(), join(dir, 'sql-wasm.wasm'));
    process.once('exit', () => rmSync(base, { recursive: true, force: true }));
    return { file, dir };
  })();
  return bundle;
}

export interface ChildRun {
  code: number | null;
  out: string;
  err: string;
  /** Killed at the deadline: it hung. */
  timedOut: boolean;
  ms: number;
}

/** The CLI bundle built from the sources (dist/cli.js layout), for tests that spawn it themselves. */
export async function cliBundle(): Promise<string> {
  return (await built()).file;
}

/** Runs `lifeline ...args` in `cwd`, killed after `deadlineMs`. */
export async function cliChild(args: string[], cwd: string, deadlineMs = 15_000): Promise<ChildRun> {
  const { file } = await built();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, timedOut, ms: Date.now() - started });
    });
  });
}

/** A real FIFO (named pipe) at `path`. */
export function mkfifo(path: string): void {
  execFileSync('python3', ['-c', 'import os, sys; os.mkfifo(sys.argv[1])', path]);
}
