// Reads a workspace's `.lifeline.json` (regular file only, size-limited, paths kept inside the
// repository). Apart from git: the editor reads it at activation, where git's runner must not load.
import { CONFIG_FILE, resolveConfig } from '../fixups/config';
import type { LifelineConfig } from '../fixups/config';
import { refNameProblem } from '../fixups/names';
import { specsDir } from './specs';
import { containedPath, PathRefused } from '../fixups/contain';
import { MiB, readRegularFile } from '../fixups/read-file';

/** A config file larger than this is not one a person wrote. */
const MAX_CONFIG_BYTES = MiB;

/**
 * Reads `.lifeline.json` at the root (absent -> defaults; unreadable or invalid -> one-line
 * error), with `override` (the editor's settings) on top; the result is validated as a whole.
 */
export async function loadConfig(root: string, override: Partial<LifelineConfig> = {}): Promise<LifelineConfig> {
  let text = '{}';
  try {
    const bytes = await readRegularFile(containedPath(root, CONFIG_FILE, CONFIG_FILE), { what: CONFIG_FILE, maxBytes: MAX_CONFIG_BYTES });
    if (bytes) text = bytes.toString('utf8');
  } catch (e) {
    if (e instanceof PathRefused) throw e;
    throw new PathRefused(`${CONFIG_FILE}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, true);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new PathRefused(`${CONFIG_FILE}: invalid JSON (${(e as Error).message})`, true);
  }
  const config = resolveConfig(typeof parsed === 'object' && parsed !== null ? { ...parsed, ...override } : override);
  // The same rule every later use applies (symlinks resolved), so a bad path fails here, once, by name.
  for (const key of ['database', 'worktreesDir', 'backupsDir', 'journalDir', 'logsDir'] as const) {
    try {
      containedPath(root, config[key], key, { textOnly: true });
    } catch (e) {
      throw new PathRefused(`${CONFIG_FILE}: "${key}" must stay inside the repository (${(e as Error).message})`);
    }
  }
  try {
    specsDir(root, config.specsGlob, { textOnly: true });
  } catch (e) {
    throw new PathRefused(`${CONFIG_FILE}: ${(e as Error).message}`);
  }
  // Checked as written: resolveConfig drops a value of the wrong type, and a threshold that
  // silently fell back to the default would gate launches on a number nobody chose.
  const written = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).preflightMinFreeGb : undefined;
  const minFree = minFreeGbProblem(written === undefined ? config.preflightMinFreeGb : written);
  if (minFree) throw new PathRefused(`${CONFIG_FILE}: "preflightMinFreeGb" ${minFree}`, true);
  if (config.mainBranch && refNameProblem(config.mainBranch)) {
    throw new Error(`${CONFIG_FILE}: "mainBranch" ${refNameProblem(config.mainBranch)}`);
  }
  return config;
}

/**
 * The conventions where a bad `.lifeline.json` must not stop the caller (the editor's file
 * watchers): loadConfig's answer, or the defaults under `override` with the one-line reason.
 * The file is read as loadConfig reads it (regular file only, size limit), so a FIFO or a link
 * to /dev/zero there cannot block or exhaust the extension host.
 */
export async function loadConfigOrDefaults(root: string, override: Partial<LifelineConfig> = {}): Promise<{ config: LifelineConfig; problem?: string }> {
  try {
    return { config: await loadConfig(root, override) };
  } catch (e) {
    return { config: resolveConfig(override), problem: e instanceof Error ? e.message : String(e) };
  }
}

/** Why a free-disk threshold in GB (`.lifeline.json` or `--min-free-gb`) is unusable; null when it is fine. */
export function minFreeGbProblem(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number of GB';
  if (value < 0) return 'must not be negative';
  // A petabyte-scale threshold is a typo, not a policy; 1e6 GB keeps the arithmetic exact.
  if (value > 1_000_000) return 'must be at most 1000000 GB';
  return null;
}
