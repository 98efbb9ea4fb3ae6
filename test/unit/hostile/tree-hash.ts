// The hostile-state suite's witness: a digest of every file, link and folder under a root (content
// hash, mode, link target), taken before and after Lifeline meets hostile state, so a test can
// assert that a refusal left every byte, mode and link as it was.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export type TreeHash = Map<string, string>;

export interface HashOptions {
  /** Paths (relative, `/`-separated) whose subtree is not hashed, e.g. `.git/index` that git refreshes. */
  skip?: string[];
}

/** Digest of the tree under `root`. Special files (FIFOs, sockets, devices) are named, never opened. */
export function hashTree(root: string, options: HashOptions = {}): TreeHash {
  const out: TreeHash = new Map();
  const skip = new Set(options.skip ?? []);
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const rel = relative(root, full).split(sep).join('/');
      if (skip.has(rel)) continue;
      const st = lstatSync(full);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out.set(rel, `link ${readlinkSync(full)}`);
      else if (st.isDirectory()) {
        out.set(rel, `dir ${mode}`);
        walk(full);
      } else if (st.isFile()) out.set(rel, `file ${mode} ${st.uid}:${st.gid} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
      else out.set(rel, `special ${mode}`);
    }
  };
  walk(root);
  return out;
}

/** What changed between two digests, one line per path; empty when nothing did. */
export function treeDiff(before: TreeHash, after: TreeHash): string[] {
  const lines: string[] = [];
  for (const [path, was] of before) {
    const now = after.get(path);
    if (now === undefined) lines.push(`removed ${path}`);
    else if (now !== was) lines.push(`changed ${path}: ${was} -> ${now}`);
  }
  for (const path of after.keys()) if (!before.has(path)) lines.push(`added ${path}`);
  return lines;
}
