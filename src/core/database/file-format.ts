// The SQLite database-file header and the rollback-journal header, read from bytes as the file
// format documents them (sqlite.org/fileformat2.html). Pure: no I/O.

const MAGIC = 'SQLite format 3\u0000';
const JOURNAL_MAGIC = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

/** 1 = rollback journal (legacy), 2 = WAL. Bytes 18 (write version) and 19 (read version). */
export type JournalModeByte = 1 | 2;

export interface DbHeader {
  pageSize: number;
  writeVersion: JournalModeByte;
  readVersion: JournalModeByte;
  /** Pages in the file (from the header when valid, else from the file size). */
  pageCount: number;
}

/** A page size SQLite accepts: a power of two from 512 to 65536. */
export function isValidPageSize(n: number): boolean {
  return n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

/**
 * Parses the 100-byte header. Returns a one-line reason instead when the bytes are not a
 * SQLite database SQLite itself would open.
 */
export function readDbHeader(bytes: Uint8Array): DbHeader | string {
  if (bytes.length === 0) return 'the file is empty';
  if (bytes.length < 100) return `the file is only ${bytes.length} bytes, too short for a SQLite header`;
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) return 'not a SQLite database (bad header magic)';
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const raw = view.getUint16(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (!isValidPageSize(pageSize)) return `invalid page size ${raw} in the header`;
  const w = bytes[18]!;
  const r = bytes[19]!;
  if ((w !== 1 && w !== 2) || (r !== 1 && r !== 2)) return `unknown file format version bytes ${w}/${r}`;
  if (bytes[21] !== 64 || bytes[22] !== 32 || bytes[23] !== 32) return 'invalid payload fractions in the header';
  if (bytes.length % pageSize !== 0) return `the file is ${bytes.length} bytes, not a whole number of ${pageSize}-byte pages (truncated?)`;
  const changeCounter = view.getUint32(24);
  const headerPages = view.getUint32(28);
  const validFor = view.getUint32(92);
  const filePages = bytes.length / pageSize;
  const pageCount = headerPages > 0 && validFor === changeCounter ? headerPages : filePages;
  if (pageCount > filePages) return `the header says ${pageCount} pages but the file holds ${filePages} (truncated?)`;
  return { pageSize, writeVersion: w as JournalModeByte, readVersion: r as JournalModeByte, pageCount };
}

/** Sets bytes 18/19 (1 = rollback journal, 2 = WAL) in place. */
export function setJournalModeBytes(image: Uint8Array, mode: JournalModeByte): void {
  if (image.length >= 100) {
    image[18] = mode;
    image[19] = mode;
  }
}

/**
 * Whether a `-journal` file's bytes make it hot: non-empty with the journal magic. PERSIST mode
 * zeroes the header and TRUNCATE mode empties the file after a commit, so neither counts.
 */
export function isHotJournal(bytes: Uint8Array): boolean {
  if (bytes.length < JOURNAL_MAGIC.length) return false;
  return JOURNAL_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * The database as it was before the transaction a hot rollback journal belongs to: what SQLite
 * shows once it has rolled the journal back. Journal layout (fileformat2, "The Rollback
 * Journal"): segments, each a header padded to the sector size (magic, record count or -1,
 * checksum nonce, original size in pages, sector size, page size) followed by records (page
 * number, original page, checksum = nonce + every 200th byte from the end). Playback stops at
 * the first record whose checksum fails, as SQLite's does. Returns the main bytes unchanged
 * when the journal is not hot.
 */
export function rollBackJournal(main: Uint8Array, journal: Uint8Array): { image: Uint8Array; pages: number } {
  if (!isHotJournal(journal) || journal.length < 28) return { image: main, pages: 0 };
  const jv = new DataView(journal.buffer, journal.byteOffset, journal.byteLength);
  const restored = new Map<number, number>();
  let originalPages = -1;
  let pageSize = 0;
  let off = 0;
  outer: while (off + 28 <= journal.length && JOURNAL_MAGIC.every((b, i) => journal[off + i] === b)) {
    let records = jv.getUint32(off + 8);
    const nonce = jv.getUint32(off + 12);
    const sector = jv.getUint32(off + 20);
    const ps = jv.getUint32(off + 24);
    if (!isValidPageSize(ps) || sector < 32 || sector > 65536 || (sector & (sector - 1)) !== 0) break;
    if (pageSize && ps !== pageSize) break;
    pageSize = ps;
    if (originalPages < 0) originalPages = jv.getUint32(off + 16);
    off += sector;
    const recSize = 8 + ps;
    if (records === 0xffffffff) records = Math.floor((journal.length - off) / recSize);
    for (let i = 0; i < records; i++, off += recSize) {
      if (off + recSize > journal.length) break outer;
      const page = jv.getUint32(off);
      if (page === 0) break outer;
      let sum = nonce;
      for (let x = ps - 200; x > 0; x -= 200) sum = (sum + journal[off + 4 + x]!) >>> 0;
      if (sum !== jv.getUint32(off + 4 + ps)) break outer;
      if (!restored.has(page)) restored.set(page, off + 4);
    }
    if (records === 0) break;
    off = Math.ceil(off / sector) * sector;
  }
  if (originalPages < 0 || pageSize === 0) return { image: main, pages: 0 };
  const out = new Uint8Array(originalPages * pageSize);
  out.set(main.subarray(0, Math.min(main.length, out.length)));
  for (const [page, at] of restored) {
    if (page <= originalPages) out.set(journal.subarray(at, at + pageSize), (page - 1) * pageSize);
  }
  return { image: out, pages: restored.size };
}
