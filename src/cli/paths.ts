// Locations the CLI resolves relative to its own bundle.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { COMPILED_PLAYBOOKS } from '../core/playbooks/compiled';

/** The built-in playbooks: beside the bundle (dist/../playbooks), or the source tree under tsx. */
export function builtInPlaybookDir(): string {
  for (const dir of [join(__dirname, '..', 'playbooks'), join(__dirname, '..', '..', 'playbooks')]) {
    if (existsSync(dir)) return dir;
  }
  return join(__dirname, '..', 'playbooks');
}

/** dist/playbooks.json beside the bundle (the built-ins without YAML parsing), when built. */
export function compiledPlaybooksFile(): string | undefined {
  const file = join(__dirname, COMPILED_PLAYBOOKS);
  return existsSync(file) ? file : undefined;
}
