// The write-ahead-log reader, from SQLite's documented WAL format (sqlite.org/fileformat2.html,
// "The Write-Ahead Log"). sql.js opens a copy of the main file and never sees the `-wal`, so we
// fold the committed frames in ourselves. Pure: bytes in, bytes out.
//
// WAL header (32 bytes, big-endian): magic 0x377f0682 | 0x377f0683, format version 3007000,
// page size, checkpoint sequence, salt-1, salt-2, checksum-1, checksum-2 (over the first 24
// bytes). Each frame: a 24-byte header (page number, db size in pages after commit or 0,
// salt-1, salt-2, checksum-1, checksum-2) then one page. Checksums are cumulative over the WAL
// header and every frame's first 8 header bytes plus page, read as 32-bit words in the byte
// order the magic's low bit names (1: big-endian). A frame is valid only when its salts match
// the header and its checksum matches; the log ends at the first invalid frame, and only frames
// up to the last valid commit frame count.
import { isValidPageSize } from './file-format';

export const WAL_HEADER_SIZE = 32;
export const WAL_FRAME_HEADER_SIZE = 24;
const MAGIC_LE = 0x377f0682;
const MAGIC_BE = 0x377f0683;
const FORMAT_VERSION = 3007000;

export interface WalHeader {
  /** Checksums are computed over big-endian words (magic 0x377f0683). */
  bigEndianChecksum: boolean;
  pageSize: number;
  checkpointSeq: number;
  salt1: number;
  salt2: number;
}

export interface WalScan {
  /** Null when the file is empty or its header is invalid (then `problem` says why). */
  header: WalHeader | null;
  problem?: string;
  /** Whole frames physically present. */
  framesPresent: number;
  /** Frames whose salts and checksum chain hold. */
  validFrames: number;
  /** Valid frames up to and including the last commit frame: what SQLite would read. */
  committedFrames: number;
  /** Commit frames among them (one per transaction). */
  transactions: number;
  /** Database size in pages after the last commit (0 when there is none). */
  dbPages: number;
  /** Page number -> byte offset in the WAL of that page's latest committed content. */
  pages: Map<number, number>;
}

/**
 * SQLite's WAL checksum over `bytes[start, end)` (a multiple of 8 bytes), continuing from
 * (s0, s1). Arithmetic is modulo 2^32.
 */
export function walChecksum(bytes: Uint8Array, start: number, end: number, bigEndian: boolean, s0: number, s1: number): [number, number] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = !bigEndian;
  let a = s0;
  let b = s1;
  for (let i = start; i < end; i += 8) {
    a = (a + view.getUint32(i, le) + b) >>> 0;
    b = (b + view.getUint32(i + 4, le) + a) >>> 0;
  }
  return [a, b];
}

function empty(problem?: string, framesPresent = 0): WalScan {
  return { header: null, ...(problem ? { problem } : {}), framesPresent, validFrames: 0, committedFrames: 0, transactions: 0, dbPages: 0, pages: new Map() };
}

/** Reads the header and walks the frames. Never throws on garbage: it reports a problem instead. */
export function scanWal(wal: Uint8Array): WalScan {
  if (wal.length === 0) return empty();
  if (wal.length < WAL_HEADER_SIZE) return empty(`the WAL is ${wal.length} bytes, shorter than its header`);
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = view.getUint32(0);
  if (magic !== MAGIC_LE && magic !== MAGIC_BE) return empty('the WAL header magic is wrong');
  const bigEndian = magic === MAGIC_BE;
  if (view.getUint32(4) !== FORMAT_VERSION) return empty(`unknown WAL format version ${view.getUint32(4)}`);
  const pageSize = view.getUint32(8);
  if (!isValidPageSize(pageSize)) return empty(`invalid WAL page size ${pageSize}`);
  const [h0, h1] = walChecksum(wal, 0, 24, bigEndian, 0, 0);
  if (h0 !== view.getUint32(24) || h1 !== view.getUint32(28)) return empty('the WAL header checksum does not match');
  const header: WalHeader = { bigEndianChecksum: bigEndian, pageSize, checkpointSeq: view.getUint32(12), salt1: view.getUint32(16), salt2: view.getUint32(20) };

  const frameSize = WAL_FRAME_HEADER_SIZE + pageSize;
  const framesPresent = Math.floor((wal.length - WAL_HEADER_SIZE) / frameSize);
  let s0 = h0;
  let s1 = h1;
  let validFrames = 0;
  let committedFrames = 0;
  let transactions = 0;
  let dbPages = 0;
  // Pages written since the last commit stay pending until a commit frame confirms them.
  const committed = new Map<number, number>();
  const pending = new Map<number, number>();
  for (let i = 0; i < framesPresent; i++) {
    const at = WAL_HEADER_SIZE + i * frameSize;
    const page = view.getUint32(at);
    const commitSize = view.getUint32(at + 4);
    if (page === 0) break;
    if (view.getUint32(at + 8) !== header.salt1 || view.getUint32(at + 12) !== header.salt2) break;
    [s0, s1] = walChecksum(wal, at, at + 8, bigEndian, s0, s1);
    [s0, s1] = walChecksum(wal, at + WAL_FRAME_HEADER_SIZE, at + frameSize, bigEndian, s0, s1);
    if (s0 !== view.getUint32(at + 16) || s1 !== view.getUint32(at + 20)) break;
    validFrames++;
    pending.set(page, at + WAL_FRAME_HEADER_SIZE);
    if (commitSize !== 0) {
      for (const [p, off] of pending) committed.set(p, off);
      pending.clear();
      committedFrames = validFrames;
      transactions++;
      dbPages = commitSize;
    }
  }
  return { header, framesPresent, validFrames, committedFrames, transactions, dbPages, pages: committed };
}

/**
 * The database as SQLite would read it: the main file with every committed WAL page applied,
 * sized to the last commit's page count (which may grow or shrink the file). Returns `main`
 * itself when the WAL commits nothing.
 */
export function applyWal(main: Uint8Array, wal: Uint8Array, scan: WalScan): Uint8Array {
  if (!scan.header || scan.committedFrames === 0) return main;
  const ps = scan.header.pageSize;
  const out = new Uint8Array(scan.dbPages * ps);
  out.set(main.subarray(0, Math.min(main.length, out.length)));
  for (const [page, off] of scan.pages) {
    if (page > scan.dbPages) continue; // truncated away by a later commit
    out.set(wal.subarray(off, off + ps), (page - 1) * ps);
  }
  return out;
}

/**
 * How many committed WAL pages differ from the main file (plus one when the size differs):
 * zero means a checkpoint has already copied everything, so nothing is at stake in the WAL.
 */
export function pendingPages(main: Uint8Array, wal: Uint8Array, scan: WalScan): number {
  if (!scan.header || scan.committedFrames === 0) return 0;
  const ps = scan.header.pageSize;
  let n = main.length === scan.dbPages * ps ? 0 : 1;
  for (const [page, off] of scan.pages) {
    if (page > scan.dbPages) continue;
    const start = (page - 1) * ps;
    if (start + ps > main.length) {
      n++;
      continue;
    }
    const a = wal.subarray(off, off + ps);
    const b = main.subarray(start, start + ps);
    if (Buffer.compare(a, b) !== 0) n++;
  }
  return n;
}
