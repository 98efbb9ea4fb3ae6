// Shared test helpers: the repository root, the built-in playbooks, the shared corpus.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/** The labelled development corpus beside the repository (`../shared/corpus`). */
export function corpusDir(): string {
  const dir = resolve(repoRoot, '..', 'shared', 'corpus');
  if (!existsSync(join(dir, 'index.json'))) {
    throw new Error(`the failure corpus is missing: expected ${dir}/index.json (shared/ sits beside the repository)`);
  }
  return dir;
}
