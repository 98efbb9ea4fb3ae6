// The trust list for terminal agents, which have no workspace trust of their own: folders a
// person at a terminal said to trust (`lifeline trust`). In any other folder the MCP server runs
// only its read-only tools. The list lives in the user's config folder, never in a repository.
import { realpath } from 'node:fs/promises';
import { join, relative, isAbsolute, sep } from 'node:path';
import * as z from 'zod/mini';
import { MiB, readRegularFile } from '../core/fixups/read-file';
import { userConfigDir, writeAtomic } from './user-dirs';

const TrustFile = z.object({ version: z.literal(1), folders: z.array(z.string()) });

export function trustFile(): string {
  return join(userConfigDir(), 'trusted.json');
}

/** The trusted folders (absolute, real paths); an unreadable or invalid file trusts nothing. */
export async function trustedFolders(): Promise<string[]> {
  try {
    const bytes = await readRegularFile(trustFile(), { what: 'the trust list', maxBytes: MiB });
    if (!bytes) return [];
    const parsed = TrustFile.safeParse(JSON.parse(bytes.toString('utf8')));
    return parsed.success ? parsed.data.folders.filter((f) => isAbsolute(f)) : [];
  } catch {
    return [];
  }
}

function inside(dir: string, folder: string): boolean {
  const rel = relative(folder, dir);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/** Whether `dir` (resolved through symlinks) is a trusted folder or inside one. */
export async function isTrusted(dir: string): Promise<boolean> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch {
    return false;
  }
  return (await trustedFolders()).some((f) => inside(real, f));
}

/** Adds `dir` (its real path) to the list; returns that path. The caller makes sure a person asked. */
export async function addTrusted(dir: string): Promise<string> {
  const real = await realpath(dir);
  const folders = await trustedFolders();
  if (!folders.includes(real)) folders.push(real);
  await writeAtomic(trustFile(), JSON.stringify({ version: 1, folders }, null, 2) + '\n');
  return real;
}
