// Where Lifeline keeps per-user files outside any repository: the trust list (config) and the
// repeated-failure counts (state). Outside the repo so a checkout cannot grant itself trust or
// reset an agent's strikes. XDG on Linux and BSDs, the platform's own folders elsewhere.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';

/** An XDG variable is used only when absolute (the spec says to ignore relative ones). */
function xdg(name: string): string | undefined {
  const v = process.env[name];
  return v && isAbsolute(v) ? v : undefined;
}

export function userConfigDir(): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'lifeline');
  if (process.platform === 'darwin' && !xdg('XDG_CONFIG_HOME')) return join(homedir(), 'Library', 'Application Support', 'lifeline');
  return join(xdg('XDG_CONFIG_HOME') ?? join(homedir(), '.config'), 'lifeline');
}

export function userStateDir(): string {
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'lifeline');
  if (process.platform === 'darwin' && !xdg('XDG_STATE_HOME')) return join(homedir(), 'Library', 'Application Support', 'lifeline', 'state');
  return join(xdg('XDG_STATE_HOME') ?? join(homedir(), '.local', 'state'), 'lifeline');
}

/** Writes `text` to `file` whole or not at all (temp file + rename), creating its folder. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}
