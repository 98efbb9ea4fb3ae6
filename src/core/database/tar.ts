// A small tar.gz writer (POSIX ustar with pax headers for long or non-ASCII names) for the
// escalation bundle, streaming through node:zlib so large logs are never held in memory.
// Only regular files go in; we never follow links.
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export type TarSource = { name: string; mtime: Date } & ({ bytes: Uint8Array } | { file: string; size: number });

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\u0000';
}

function header(name: string, size: number, mtime: Date, type: '0' | 'x'): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.max(0, Math.floor(mtime.getTime() / 1000)), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\u0000', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148, 'ascii');
  return h;
}

/** A pax record `"<len> key=value\n"`, where len counts the whole record including itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** The header blocks for one entry: a pax header first when ustar cannot hold the name or size. */
function headersFor(name: string, size: number, mtime: Date): Buffer[] {
  const simple = /^[\x20-\x7e]*$/.test(name) && Buffer.byteLength(name) <= 100;
  const big = size > 0o77777777777;
  if (simple && !big) return [header(name, size, mtime, '0')];
  const pax = Buffer.from(paxRecord('path', name) + (big ? paxRecord('size', String(size)) : ''), 'utf8');
  const short = `PaxHeader/${name.replace(/[^\x20-\x7e]/g, '_').slice(-80)}`;
  return [header(short, pax.length, mtime, 'x'), pax, padding(pax.length), header(name.replace(/[^\x20-\x7e]/g, '_').slice(-100), big ? 0 : size, mtime, '0')];
}

async function* file(path: string, size: number): AsyncGenerator<Buffer> {
  // Exactly `size` bytes: a log that grows while we read is cut, one that shrinks is zero-padded.
  const fh = await open(path, 'r');
  try {
    let left = size;
    while (left > 0) {
      const chunk = Buffer.alloc(Math.min(left, 1 << 16));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, size - left);
      if (bytesRead === 0) {
        yield Buffer.alloc(left);
        return;
      }
      yield chunk.subarray(0, bytesRead);
      left -= bytesRead;
    }
  } finally {
    await fh.close();
  }
}

async function* entries(sources: readonly TarSource[]): AsyncGenerator<Buffer> {
  for (const s of sources) {
    const size = 'bytes' in s ? s.bytes.length : s.size;
    yield* headersFor(s.name, size, s.mtime);
    if ('bytes' in s) yield Buffer.from(s.bytes);
    else yield* file(s.file, size);
    yield padding(size);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** Writes `sources` as a gzip-compressed tar to `target` (created exclusively). */
export async function writeTarGz(target: string, sources: readonly TarSource[]): Promise<void> {
  await pipeline(Readable.from(entries(sources)), createGzip(), createWriteStream(target, { flags: 'wx', flush: true }));
}
