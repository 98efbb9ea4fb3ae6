// The sources the CLI and the editor diagnose with. The database half plugs in here (one line)
// once src/core/database lands; until then diagnose covers git, specs and dependencies.
import type { Sources } from './registry';

export function defaultSources(): Sources {
  return {};
}
