// Where tools keep per-user state: the home, data, config and temp folders by each platform's
// rules (XDG on Linux, Application Support on macOS, %APPDATA% on Windows). Every source reads
// them from the workspace's environment (`ws.env`, else the process's), so tests point a source
// at a fixture home without touching the real one. Pure: no I/O.
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface UserDirsEnv {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

function envOf(o: UserDirsEnv): NodeJS.ProcessEnv {
  return o.env ?? process.env;
}

/** An absolute path from the environment, else undefined (a relative XDG value is ignored, as the spec says). */
function absolute(v: string | undefined): string | undefined {
  return v && isAbsolute(v) ? v : undefined;
}

export function userHome(o: UserDirsEnv = {}): string {
  const env = envOf(o);
  const platform = o.platform ?? process.platform;
  return absolute(platform === 'win32' ? env.USERPROFILE : env.HOME) ?? homedir();
}

/** `$XDG_DATA_HOME` or `~/.local/share` (Linux); `~/Library/Application Support` (macOS); `%APPDATA%` (Windows). */
export function userDataDir(o: UserDirsEnv = {}): string {
  const env = envOf(o);
  const platform = o.platform ?? process.platform;
  if (platform === 'darwin') return join(userHome(o), 'Library', 'Application Support');
  if (platform === 'win32') return absolute(env.APPDATA) ?? join(userHome(o), 'AppData', 'Roaming');
  return absolute(env.XDG_DATA_HOME) ?? join(userHome(o), '.local', 'share');
}

/** `$XDG_CONFIG_HOME` or `~/.config` (Linux); `~/Library/Application Support` (macOS); `%APPDATA%` (Windows). */
export function userConfigDir(o: UserDirsEnv = {}): string {
  const env = envOf(o);
  const platform = o.platform ?? process.platform;
  if (platform === 'darwin') return join(userHome(o), 'Library', 'Application Support');
  if (platform === 'win32') return absolute(env.APPDATA) ?? join(userHome(o), 'AppData', 'Roaming');
  return absolute(env.XDG_CONFIG_HOME) ?? join(userHome(o), '.config');
}

/** The temp folder as a Rust or Go tool sees it: `$TMPDIR` (Unix), `%TEMP%`/`%TMP%` (Windows), else the OS default. */
export function userTempDir(o: UserDirsEnv = {}): string {
  const env = envOf(o);
  const platform = o.platform ?? process.platform;
  if (platform === 'win32') return absolute(env.TEMP) ?? absolute(env.TMP) ?? tmpdir();
  return absolute(env.TMPDIR) ?? (o.env ? '/tmp' : tmpdir());
}
