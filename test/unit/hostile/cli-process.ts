// The CLI as real processes for the hostile-state suite: bundled once per test file with esbuild
// (a cold tsx start per run would dominate), run with argv only, and stopped at exact steps by the
// test pause hook (LIFELINE_TEST_PAUSE_DIR / _AT, src/core/fixups/test-pause.ts).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { locateSqlWasm } from '../../../src/core/database/sqljs';

export interface CliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>;
}

export interface CliBundle {
  dir: string;
  /** A folder the pause hook writes its `.reached` files into and reads `.go` files from. */
  pauseDir: string;
  run(args: string[], cwd: string, pauseAt?: string[]): CliRun;
}

export async function bundleCli(): Promise<CliBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-cli-bundle-'));
  const out = join(dir, 'cli.js');
  await build({ entryPoints: [resolve(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'error' });
  copyFileSync(locateSqlWasm(), join(dir, 'sql-wasm.wasm'));
  const pauseDir = mkdtempSync(join(tmpdir(), 'lifeline-pause-'));
  return {
    dir,
    pauseDir,
    run(args, cwd, pauseAt = []) {
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      delete env.LIFELINE_TEST_WRITE_PAUSE_MS;
      if (pauseAt.length) Object.assign(env, { LIFELINE_TEST_PAUSE_DIR: pauseDir, LIFELINE_TEST_PAUSE_AT: pauseAt.join(',') });
      const child = spawn(process.execPath, [out, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let o = '';
      let e = '';
      child.stdout!.on('data', (d: Buffer) => (o += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (e += d.toString()));
      const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((res) => child.on('exit', (code, signal) => res({ code, signal, out: o, err: e })));
      return { child, done };
    },
  };
}

/** Waits until process `pid` is paused at `step` for the `n`-th time (fails after 30 s). */
export async function reached(bundle: CliBundle, pid: number, step: string, n = 1): Promise<void> {
  const ms = 30_000;
  const file = join(bundle.pauseDir, `${pid}.${step}.${n}.reached`);
  const until = Date.now() + ms;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`pid ${pid} never reached ${step}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lets process `pid` go on from the `n`-th pause at `step`. */
export function release(bundle: CliBundle, pid: number, step: string, n = 1): void {
  writeFileSync(join(bundle.pauseDir, `${pid}.${step}.${n}.go`), '');
}
