// The sources the CLI and the editor diagnose and fix with: git is always there (the fix-up
// engine's own handlers); the orchestration database plugs in as a DatabaseSource.
import { databaseSource } from '../database/source';
import type { Sources } from '../fixups/registry';

export function defaultSources(): Sources {
  return { database: databaseSource };
}
