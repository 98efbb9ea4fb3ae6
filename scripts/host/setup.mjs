// Host setup: makes sure this machine can run a real VS Code (code-server) and a headless
// Chromium to drive it. Idempotent: Debian packages only when missing, code-server installed
// once into the gitignored cache `.cache/host/code-server-<version>-<node ABI>/` and marked
// ready by a stamp file, so a warm run takes milliseconds. Run directly to warm the cache.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, lstatSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// tmux: the claude-squad source's unit tests run a real tmux session (so it is installed before the unit stage).
const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev', 'pkg-config', 'ripgrep', 'tmux'];
// Native modules code-server's bundled VS Code needs, rebuilt against this machine's Node.
const VSCODE_NATIVE = ['node-pty', '@parcel/watcher', '@vscode/spdlog', '@vscode/deviceid', 'native-watchdog', 'kerberos'];

/** A setup step failed: names the step and says what to do. */
export class HostSetupError extends Error {
  constructor(step, detail, todo) {
    super(`host setup failed at "${step}": ${detail}${todo ? ` — ${todo}` : ''}`);
    this.name = 'HostSetupError';
  }
}

function say(msg) {
  console.log(`[host] ${msg}`);
}

/** Runs argv (never a shell); throws HostSetupError with the tail of its output on failure. */
function step(name, cmd, args, opts = {}) {
  say(`${name}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new HostSetupError(name, r.error.message, opts.todo ?? `check that \`${cmd}\` is installed`);
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new HostSetupError(name, `\`${cmd}\` exited with ${r.status}\n${tail}\n`, opts.todo);
  }
  return r.stdout;
}

function has(cmd, args = ['--version']) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

function missingDebianPackages() {
  if (!has('dpkg-query', ['--version'])) return null; // not Debian: cannot check
  return DEBIAN_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !String(r.stdout).includes('install ok installed');
  });
}

/**
 * Installs the Debian packages that are missing (apt-get update first, only when needed), for
 * `npm test` before its unit stage. Nothing is spawned but dpkg-query when all are there. On a
 * system without dpkg it only says what it assumes (the host stages check their own needs).
 */
export async function ensureSystemPackages() {
  const missing = missingDebianPackages();
  if (missing === null) {
    say(`system packages: not a Debian system, assuming ${DEBIAN_PACKAGES.join(', ')} are installed`);
    return;
  }
  // Under the setup lock: apt-get must not run twice at once (a demo and a test run started together).
  if (missing.length) await withLock(async () => ensureDebianPackages());
}

/** Installs the Debian packages that are missing (apt-get update first, only when needed). */
function ensureDebianPackages() {
  const missing = missingDebianPackages();
  if (missing === null) {
    if (process.platform !== 'linux') {
      throw new HostSetupError('system packages', `code-server + Chromium hosting is set up for Debian/Ubuntu Linux, this is ${process.platform}`,
        'run the integration and E2E suites on Linux, or use `npm run test:desktop` with a desktop VS Code');
    }
    say('system packages: not a Debian system, assuming chromium, ripgrep, libkrb5 headers and pkg-config are installed');
    return;
  }
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !isRoot && has('sudo', ['-n', 'true']);
  if (!isRoot && !sudo) {
    throw new HostSetupError('system packages', `missing ${missing.join(', ')} and not root (no passwordless sudo)`,
      `install them: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const [cmd, ...apt] = isRoot ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const todo = `check that the Debian mirrors are reachable, then run: apt-get install -y ${missing.join(' ')}`;
  step('apt-get update', cmd, [...apt, 'update'], { env, todo });
  step('apt-get install', cmd, [...apt, 'install', '-y', '--no-install-recommends', ...missing], { env, todo });
}

function link(target, path) {
  try {
    lstatSync(path);
    unlinkSync(path);
  } catch {
    // nothing there yet
  }
  symlinkSync(target, path);
}

/** Where code-server lives for this version and this Node ABI (native modules are ABI-specific). */
export function codeServerDir() {
  return join(repoRoot, '.cache', 'host', `code-server-${CODE_SERVER_VERSION}-node${process.versions.modules}`);
}

function stampFile() {
  return join(codeServerDir(), '.ready');
}

function codeServerEntryOf(dir) {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Installs code-server by the recipe in shared/notes/vscode-host.md (its own postinstall fails here). */
function installCodeServer() {
  const dir = codeServerDir();
  rmSync(dir, { recursive: true, force: true }); // a half-finished earlier attempt
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'lifeline-host-cache', private: true }, null, 2));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  const yes = { npm_config_yes: 'true' };
  const registry = 'check that the npm registry is reachable and retry; the cache is rebuilt from scratch';
  step('install code-server', npm, ['install', '--ignore-scripts', ...quiet, `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, todo: registry });
  const cs = join(dir, 'node_modules', 'code-server');
  const vscode = join(cs, 'lib', 'vscode');
  step('install VS Code dependencies', npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet], { cwd: vscode, todo: registry });
  step('rebuild VS Code native modules', npm, ['rebuild', ...VSCODE_NATIVE, ...quiet], {
    cwd: vscode, env: yes, todo: 'native builds need a C++ toolchain, python3, libkrb5-dev and pkg-config (apt-get install -y build-essential python3 libkrb5-dev pkg-config)',
  });
  const rg = spawnSync('which', ['rg'], { encoding: 'utf8' }).stdout?.trim() || '/usr/bin/rg';
  if (!existsSync(rg)) throw new HostSetupError('link ripgrep', 'no `rg` on PATH', 'apt-get install -y ripgrep');
  const rgBin = join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgBin, { recursive: true });
  link(rg, join(rgBin, 'rg'));
  link('node_modules', join(vscode, 'node_modules.asar'));
  link('code-linux.sh', join(vscode, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(vscode, 'bin', 'helpers', 'browser.sh'));
  step('install built-in extensions dependencies', npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet], { cwd: join(vscode, 'extensions'), todo: registry });
  step('rebuild argon2', npm, ['rebuild', 'argon2', ...quiet], { cwd: dir, env: yes, todo: 'native builds need a C++ toolchain and python3' });
  if (!existsSync(codeServerEntryOf(dir))) throw new HostSetupError('verify code-server', `${codeServerEntryOf(dir)} is missing after install`, 'delete .cache/host and retry');
  writeFileSync(stampFile(), `${CODE_SERVER_VERSION} node-abi-${process.versions.modules}\n`);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Serialises setups in this checkout (a demo and a test run started together). */
async function withLock(fn) {
  const lock = join(repoRoot, '.cache', 'host', '.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // being created or removed right now
      }
      if (owner && !pidAlive(owner)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new HostSetupError('lock', `another setup (pid ${owner}) holds ${lock}`, 'wait for it or delete the folder');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The Chromium to drive: LIFELINE_CHROMIUM, else Debian's. */
export function chromiumPath() {
  return process.env.LIFELINE_CHROMIUM || '/usr/bin/chromium';
}

/**
 * Ensures everything is in place and returns where it is. Warm (stamp present): no process
 * spawned. Throws HostSetupError naming the failed step.
 * @returns {Promise<{codeServerEntry: string, chromium: string}>}
 */
export async function ensureHost() {
  const dir = codeServerDir();
  const ready = () => existsSync(stampFile()) && existsSync(codeServerEntryOf(dir)) && existsSync(chromiumPath());
  if (!ready()) {
    await withLock(async () => {
      if (ready()) return;
      const t0 = Date.now();
      say(`setting up code-server ${CODE_SERVER_VERSION} and Chromium (first run: a few minutes)`);
      ensureDebianPackages();
      if (!existsSync(chromiumPath())) {
        throw new HostSetupError('chromium', `${chromiumPath()} not found`, 'apt-get install -y chromium, or set LIFELINE_CHROMIUM to a Chromium binary');
      }
      if (!existsSync(stampFile()) || !existsSync(codeServerEntryOf(dir))) installCodeServer();
      say(`ready in ${Math.round((Date.now() - t0) / 1000)} s`);
    });
  }
  return { codeServerEntry: codeServerEntryOf(dir), chromium: chromiumPath() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const host = await ensureHost();
    say(`code-server: ${host.codeServerEntry}`);
    say(`chromium: ${host.chromium}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
