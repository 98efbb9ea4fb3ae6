// The safe reader itself: regular files only (checked before opening), within a size limit,
// null when absent; the same answers from the async and the sync form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PathRefused } from '../../../src/core/fixups/contain';
import { readRegularFile, readRegularFileSync } from '../../../src/core/fixups/read-file';
import { mkfifo } from './cli-child';

test('readRegularFile: bytes, null when absent, refusals for FIFOs, devices, folders and files over the limit', { timeout: 20_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-read-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'ok.json'), '{"a":1}');
  writeFileSync(join(dir, 'big'), Buffer.alloc(11));
  mkfifo(join(dir, 'fifo'));
  mkdirSync(join(dir, 'folder'));
  symlinkSync('/dev/zero', join(dir, 'zero'));
  const limits = { what: 'the test file', maxBytes: 10 };
  for (const read of [readRegularFile, async (p: string, l: typeof limits) => readRegularFileSync(p, l)]) {
    assert.equal((await read(join(dir, 'ok.json'), limits))?.toString(), '{"a":1}');
    assert.equal(await read(join(dir, 'missing'), limits), null);
    assert.equal(await read(join(dir, 'ok.json', 'below'), limits), null, 'ENOTDIR counts as absent');
    const refused = async (name: string, re: RegExp) =>
      assert.rejects(read(join(dir, name), limits), (e: unknown) => e instanceof PathRefused && e.unreadable && re.test(e.message), name);
    await refused('fifo', /is a FIFO, not a regular file/);
    await refused('zero', /is a device, not a regular file/);
    await refused('folder', /is a folder, not a regular file/);
    await refused('big', /is too large \(11 bytes; the limit is 10\)/);
  }
});
