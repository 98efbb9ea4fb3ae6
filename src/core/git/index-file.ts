// Reads git's index file (the "DIRC" format, versions 2 to 4, as documented in git's
// Documentation/gitformat-index.txt): each entry's path, mode, flags and the stat data git
// recorded, plus the root of the cache-tree extension. Anything this reader does not fully
// understand comes back as `unsupported` with the reason, so callers ask git instead of guessing.

export interface IndexEntry {
  /** Path relative to the worktree, "/"-separated, as git stores it. */
  path: string;
  /** Hex id of the blob (or commit, for a submodule) git staged. */
  oid: string;
  /** e.g. 0o100644, 0o100755, 0o120000 (symlink), 0o160000 (submodule). */
  mode: number;
  ctimeSec: number;
  ctimeNsec: number;
  mtimeSec: number;
  mtimeNsec: number;
  ino: number;
  uid: number;
  gid: number;
  /** File size truncated to 32 bits, as git stores it. */
  size: number;
  /** Merge stage: 0 normally, 1-3 during a conflict. */
  stage: number;
  /** Skip-worktree or intent-to-add: the worktree file does not answer for this entry. */
  special: boolean;
}

export type IndexRead =
  | { ok: true; version: number; entries: IndexEntry[]; /** Hex tree id of the whole index, null when the cache-tree is absent or invalid. */ rootTree: string | null }
  | { ok: false; unsupported: string };

const HEADER = 12;
const STAT_BYTES = 40;

/** git's varint for the v4 path prefix (offset encoding: each continuation adds one). */
function varint(buf: Buffer, pos: number): [number, number] | null {
  let c = buf[pos++];
  if (c === undefined) return null;
  let val = c & 127;
  while (c & 128) {
    c = buf[pos++];
    if (c === undefined || val > 0x3fffff) return null;
    val = ((val + 1) << 7) + (c & 127);
  }
  return [val, pos];
}

/**
 * Parses an index. `hashBytes` is 20 for SHA-1 repositories and 32 for SHA-256 ones.
 * The trailing checksum is not verified: a torn index fails the structural checks or, at worst,
 * disagrees with the files on disk, and either way the caller asks git.
 */
export function parseIndex(buf: Buffer, hashBytes: 20 | 32): IndexRead {
  const bad = (why: string): IndexRead => ({ ok: false, unsupported: why });
  if (buf.length < HEADER + hashBytes || buf.toString('latin1', 0, 4) !== 'DIRC') return bad('not an index file');
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) return bad(`index version ${version}`);
  const count = buf.readUInt32BE(8);
  const end = buf.length - hashBytes;
  const entries: IndexEntry[] = new Array(count);
  let pos = HEADER;
  let prev: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const start = pos;
    const fixed = STAT_BYTES + hashBytes + 2;
    if (pos + fixed > end) return bad('truncated entry');
    const flags = buf.readUInt16BE(pos + STAT_BYTES + hashBytes);
    pos += fixed;
    let special = false;
    if (flags & 0x4000) {
      if (version < 3 || pos + 2 > end) return bad('extended flags in a v2 index');
      const ext = buf.readUInt16BE(pos);
      pos += 2;
      // skip-worktree (0x4000) and intent-to-add (0x2000); reserved bit must be 0.
      if (ext & 0x8000) return bad('reserved extended flag');
      special = (ext & 0x6000) !== 0;
    }
    let path: string;
    if (version === 4) {
      const v = varint(buf, pos);
      if (!v || v[0] > prev.length) return bad('bad path prefix');
      pos = v[1];
      const nul = buf.indexOf(0, pos);
      if (nul < 0 || nul >= end) return bad('unterminated path');
      prev = Buffer.concat([prev.subarray(0, prev.length - v[0]), buf.subarray(pos, nul)]);
      path = prev.toString('utf8');
      pos = nul + 1;
    } else {
      const nul = buf.indexOf(0, pos);
      if (nul < 0 || nul >= end) return bad('unterminated path');
      path = buf.toString('utf8', pos, nul);
      // Entries are padded with 1-8 NULs to a multiple of 8 bytes from the entry's start.
      pos = start + ((nul - start + 8) & ~7);
      if (pos > end) return bad('truncated padding');
    }
    // Paths that are not valid UTF-8 cannot be compared with what the file system lists.
    if (path.includes('\uFFFD')) return bad('path is not UTF-8');
    entries[i] = {
      path,
      oid: buf.toString('hex', start + STAT_BYTES, start + STAT_BYTES + hashBytes),
      mode: buf.readUInt32BE(start + 24),
      ctimeSec: buf.readUInt32BE(start),
      ctimeNsec: buf.readUInt32BE(start + 4),
      mtimeSec: buf.readUInt32BE(start + 8),
      mtimeNsec: buf.readUInt32BE(start + 12),
      ino: buf.readUInt32BE(start + 20),
      uid: buf.readUInt32BE(start + 28),
      gid: buf.readUInt32BE(start + 32),
      size: buf.readUInt32BE(start + 36),
      stage: (flags >> 12) & 3,
      special,
    };
  }
  let rootTree: string | null = null;
  while (pos + 8 <= end) {
    const sig = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32BE(pos + 4);
    const body = pos + 8;
    if (body + size > end) return bad(`truncated ${sig} extension`);
    // Lower-case signatures (split index "link", sparse "sdir") change what the entries mean.
    if (!/^[A-Z]/.test(sig)) return bad(`index extension ${sig}`);
    if (sig === 'TREE') rootTree = cacheTreeRoot(buf.subarray(body, body + size), count, hashBytes);
    pos = body + size;
  }
  if (pos !== end) return bad('trailing bytes');
  return { ok: true, version, entries, rootTree };
}

/** The root entry of the cache-tree: "" NUL, entry count, space, subtree count, LF, object id. */
function cacheTreeRoot(data: Buffer, count: number, hashBytes: number): string | null {
  if (data[0] !== 0) return null;
  const lf = data.indexOf(10, 1);
  if (lf < 0) return null;
  const m = /^(-?\d+) (\d+)$/.exec(data.toString('latin1', 1, lf));
  if (!m || Number(m[1]) !== count || lf + 1 + hashBytes > data.length) return null;
  return data.toString('hex', lf + 1, lf + 1 + hashBytes);
}
