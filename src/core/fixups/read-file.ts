// Reading a file that came from the disk without trusting what it is: a FIFO blocks a read
// forever, a device such as /dev/zero never ends, and opening some devices has side effects.
// So the file is checked with stat before it is opened, opened non-blocking (a FIFO swapped in
// between cannot block), checked again on the open handle (same file, still regular), and read
// only up to a size limit.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PathRefused } from './contain';

/** Windows has no O_NONBLOCK (and no FIFOs in the file system). */
const FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export const KiB = 1024;
export const MiB = 1024 * KiB;

export interface ReadLimits {
  /** What the file is, for the message ("the database", ".lifeline.json"). */
  what: string;
  maxBytes: number;
}

function kind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** Throws the one-line refusal for a stat that is not a regular file within the limit. */
export function assertRegular(st: Stats, path: string, limits: ReadLimits): void {
  if (!st.isFile()) throw new PathRefused(`${limits.what} ${path} is ${kind(st)}, not a regular file; not reading it`, true);
  if (st.size > limits.maxBytes) throw new PathRefused(`${limits.what} ${path} is too large (${st.size} bytes; the limit is ${limits.maxBytes})`, true);
}

function absent(e: unknown): boolean {
  const c = (e as NodeJS.ErrnoException).code;
  return c === 'ENOENT' || c === 'ENOTDIR';
}

/** The checks on the open handle: still the file stat saw, still regular; returns the buffer to fill. */
function bufferFor(before: Stats, opened: Stats, path: string, limits: ReadLimits): Buffer {
  if (before.dev !== opened.dev || before.ino !== opened.ino) throw new PathRefused(`${limits.what} ${path} was replaced while it was opened; try again`, true);
  assertRegular(opened, path, limits);
  // One byte past the limit: a file that grows meanwhile is refused, not read without end.
  return Buffer.allocUnsafe(Math.min(opened.size, limits.maxBytes) + 1);
}

function filled(buf: Buffer, length: number, path: string, limits: ReadLimits): Buffer {
  if (length > limits.maxBytes) throw new PathRefused(`${limits.what} ${path} grew past the limit (${limits.maxBytes} bytes) while it was read`, true);
  return buf.subarray(0, length);
}

/** The file's bytes; null when it does not exist. PathRefused for a special file or one over the limit. */
export async function readRegularFile(path: string, limits: ReadLimits): Promise<Buffer | null> {
  let before: Stats;
  try {
    before = await stat(path);
  } catch (e) {
    if (absent(e)) return null;
    throw e;
  }
  assertRegular(before, path, limits);
  const fh = await open(path, FLAGS);
  try {
    const buf = bufferFor(before, await fh.stat(), path, limits);
    let off = 0;
    for (let n = -1; n !== 0 && off < buf.length; off += n) n = (await fh.read(buf, off, buf.length - off, off)).bytesRead;
    return filled(buf, off, path, limits);
  } finally {
    await fh.close();
  }
}

/** The same, synchronously, for readers that must not yield (git's small files). */
export function readRegularFileSync(path: string, limits: ReadLimits): Buffer | null {
  let before: Stats;
  try {
    before = statSync(path);
  } catch (e) {
    if (absent(e)) return null;
    throw e;
  }
  assertRegular(before, path, limits);
  const fd = openSync(path, FLAGS);
  try {
    const buf = bufferFor(before, fstatSync(fd), path, limits);
    let off = 0;
    for (let n = -1; n !== 0 && off < buf.length; off += n) n = readSync(fd, buf, off, buf.length - off, off);
    return filled(buf, off, path, limits);
  } finally {
    closeSync(fd);
  }
}
