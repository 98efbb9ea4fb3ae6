// Starts and stops code-server (a real VS Code server + web workbench) on a free loopback port,
// installs a .vsix into an extensions dir, and prepares the fresh user-data dir and git workspace
// each run needs. Every process is spawned with argv, never a shell.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolvePort(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Settings a test or demo profile starts with: no trust prompt, no welcome page, nothing that phones home. */
export const TEST_SETTINGS = Object.freeze({
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  // The DOM renderer, so tests can read what a terminal shows (the GPU ones draw on a canvas).
  'terminal.integrated.gpuAcceleration': 'off',
});

/** Trust enforced, with no prompt that could grant it: the folder stays in Restricted Mode. */
export const UNTRUSTED_SETTINGS = Object.freeze({
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
});

/** Writes `<userDataDir>/User/settings.json`. */
export function seedSettings(userDataDir, extra = {}) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify({ ...TEST_SETTINGS, ...extra }, null, 2)}\n`);
}

function git(cwd, args) {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Lifeline Test', GIT_AUTHOR_EMAIL: 'test@lifeline.invalid', GIT_COMMITTER_NAME: 'Lifeline Test', GIT_COMMITTER_EMAIL: 'test@lifeline.invalid' },
  });
  if (r.error || r.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

/** A small git repository with one commit on `main`, for a test to open. */
export function makeGitWorkspace(dir) {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '--quiet', '--initial-branch=main']);
  git(dir, ['config', 'user.name', 'Lifeline Test']);
  git(dir, ['config', 'user.email', 'test@lifeline.invalid']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  writeFileSync(join(dir, 'README.md'), '# Test workspace\n');
  git(dir, ['add', 'README.md']);
  git(dir, ['commit', '--quiet', '-m', 'Initial commit']);
  return dir;
}

/** Installs a .vsix into `extensionsDir` with code-server's own CLI. */
export function installExtension(codeServerEntry, vsix, { extensionsDir, userDataDir }) {
  const r = spawnSync(process.execPath, [codeServerEntry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--force'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error || r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`installing ${vsix} into code-server failed (exit ${r.status}): ${r.error?.message ?? out.trim().split('\n').slice(-5).join(' | ')}`);
  }
}

/**
 * Starts code-server and resolves once it listens.
 * @param {{entry: string, workspace?: string, userDataDir: string, extensionsDir: string, logFile: string, env?: Record<string,string>, startTimeoutMs?: number, port?: number, workspaceTrust?: boolean}} o
 *   `port`: a fixed port (default: a free one, retried if another process takes it first)
 * @returns {Promise<{url: string, port: number, pid: number, stop: () => Promise<void>, exited: Promise<number|null>}>}
 */
export async function startCodeServer(o) {
  if (o.port) return startOn(o.port, o);
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port, o);
    } catch (e) {
      lastError = e;
      if (!String(e?.message).includes('EADDRINUSE')) break; // only a lost port race is worth a retry
    }
  }
  throw lastError;
}

function startOn(port, o) {
  const log = createWriteStream(o.logFile, { flags: 'a' });
  const args = [
    o.entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', o.userDataDir,
    '--extensions-dir', o.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    // Trust is off for tests unless one asks for it (to see Lifeline in Restricted Mode).
    ...(o.workspaceTrust ? [] : ['--disable-workspace-trust']),
  ];
  if (o.workspace) args.push(o.workspace);
  // Own process group: stopping it also stops the extension hosts and pty host it spawned.
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const kill = (sig) => {
      try {
        if (process.platform === 'win32') child.kill(sig);
        else process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
    if (!done) kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    log.end();
  };
  return new Promise((resolveStart, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`code-server did not start listening within ${(o.startTimeoutMs ?? 60_000) / 1000} s (log: ${o.logFile})`));
    }, o.startTimeoutMs ?? 60_000);
    const onData = (chunk) => {
      log.write(chunk);
      if (seen === null) return;
      seen += chunk.toString();
      if (seen.includes('HTTP server listening on')) {
        seen = null;
        clearTimeout(timer);
        resolveStart({ url, port, pid: child.pid, stop, exited });
      } else if (seen.includes('EADDRINUSE')) {
        seen = null;
        clearTimeout(timer);
        void stop().then(() => reject(new Error(`code-server: port ${port} EADDRINUSE`)));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`could not start code-server: ${e.message}`));
    });
    child.on('exit', (code) => {
      if (seen === null) return;
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code} before listening (log: ${o.logFile})`));
    });
  });
}

/** The workbench URL for a folder, optionally with a `payload` (extension development / tests). */
export function workbenchUrl(base, folder, payload) {
  const u = new URL(base);
  if (folder) u.searchParams.set('folder', folder);
  if (payload) u.searchParams.set('payload', JSON.stringify(payload));
  return u.toString();
}

/** `vscode-remote://` URI for a path on the code-server machine (how the payload names paths). */
export function remoteUri(port, absPath) {
  const p = absPath.split('\\').join('/');
  return `vscode-remote://127.0.0.1:${port}${p.startsWith('/') ? '' : '/'}${p}`;
}
