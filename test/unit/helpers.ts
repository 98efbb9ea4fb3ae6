// Shared test helpers: the repository root, the built-in playbooks, the shared corpus and seeds.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { loadPlaybookDir } from '../../src/core/playbooks/loader';
import type { Playbook } from '../../src/core/playbooks/model';

export const repoRoot = resolve(__dirname, '..', '..');

let builtIns: Promise<Playbook[]> | undefined;
export function builtInPlaybooks(): Promise<Playbook[]> {
  builtIns ??= loadPlaybookDir(join(repoRoot, 'playbooks')).then(({ playbooks, errors }) => {
    if (errors.length) throw new Error(`built-in playbooks do not load: ${errors[0]!.file}:${errors[0]!.line}: ${errors[0]!.message}`);
    return playbooks;
  });
  return builtIns;
}

/**
 * A folder of the project's `shared/` (the seeds, the corpus), which sits beside the working
 * checkout. A clone made elsewhere (CI clones into a temp folder) finds it beside the checkout it
 * was cloned from, when that is a local folder; $LIFELINE_SHARED names it outright.
 */
export function sharedDir(name: string, marker: string): string {
  const candidates = [process.env.LIFELINE_SHARED, resolve(repoRoot, '..', 'shared')];
  try {
    const origin = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (isAbsolute(origin)) candidates.push(resolve(origin, '..', 'shared'));
  } catch {
    // no origin: only the other places
  }
  const dirs = candidates.filter((d): d is string => Boolean(d)).map((d) => join(d, name));
  const found = dirs.find((d) => existsSync(join(d, marker)));
  if (!found) throw new Error(`shared/${name} is missing: looked in ${dirs.join(', ')} (set LIFELINE_SHARED to the shared folder)`);
  return found;
}

/** The labelled development corpus (`shared/corpus`). */
export function corpusDir(): string {
  return sharedDir('corpus', 'index.json');
}
