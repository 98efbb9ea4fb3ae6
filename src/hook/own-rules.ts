// The forbidden entries of a workspace's own playbooks for the PreToolUse fast path. Parsing
// YAML means loading dist/playbook-loader.js (~0.7 MB), a few hundred ms per Bash call on a busy
// machine; so the entries are cached in the user's state folder (never in the repository, which
// could plant rules), keyed by the folder and checked against the names, sizes and times of its
// files and this bundle's own, so any edit (or a new Lifeline) re-reads them.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ownRulesOf } from '../core/playbooks/forbidden';
import type { OwnRules } from '../core/playbooks/forbidden';
import type { Playbook } from '../core/playbooks/model';
import { userStateDir, writeAtomic } from '../tools/user-dirs';

interface Cache {
  version: 1;
  dir: string;
  stamp: string;
  playbooks: OwnRules[];
}

/** What the folder looks like now: every entry's name, size and times, and this bundle's. */
function stampOf(dir: string): string {
  const parts = readdirSync(dir)
    .sort()
    .map((name) => {
      const st = statSync(join(dir, name), { throwIfNoEntry: false });
      return st ? `${name}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}\0${st.ino}` : `${name}\0-`;
    });
  const self = statSync(__filename);
  return createHash('sha256').update(`${self.size}\0${self.mtimeMs}\n${parts.join('\n')}`).digest('hex');
}

function cacheFile(dir: string): string {
  return join(userStateDir(), 'hook-rules', `${createHash('sha256').update(dir).digest('hex').slice(0, 24)}.json`);
}

const str = (x: unknown) => typeof x === 'string';

function readCache(file: string, dir: string, stamp: string): Cache['playbooks'] | undefined {
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as Cache;
    if (c.version !== 1 || c.dir !== dir || c.stamp !== stamp || !Array.isArray(c.playbooks)) return undefined;
    const ok = c.playbooks.every(
      (p) => str(p.id) && Array.isArray(p.entries) && p.entries.every((e) => str(e.playbookId) && str(e.title) && str(e.reason) && str(e.pattern)),
    );
    return ok ? c.playbooks : undefined;
  } catch {
    return undefined; // missing or damaged: parse the folder again
  }
}

/** The workspace playbooks' ids (in the loader's order) with their forbidden entries; `parse` loads them when the cache cannot answer. */
export async function ownRules(
  dir: string,
  parse: (dir: string) => Promise<{ playbooks: Playbook[]; ok: boolean }>,
): Promise<OwnRules[]> {
  const stamp = stampOf(dir);
  const file = cacheFile(dir);
  const cached = readCache(file, dir, stamp);
  if (cached) return cached;
  const { playbooks, ok } = await parse(dir);
  const rules = ownRulesOf(playbooks);
  // A folder with broken files is not cached: its errors are reported on every call until fixed.
  if (ok && stampOf(dir) === stamp) {
    await writeAtomic(file, JSON.stringify({ version: 1, dir, stamp, playbooks: rules } satisfies Cache)).catch(() => undefined);
  }
  return rules;
}
