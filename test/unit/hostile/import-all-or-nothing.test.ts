// `playbooks import --out` writes all of its files or none: a target that cannot be taken (a
// dangling link, a folder) is found before anything is written, and no temp file is left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtures } from '../importer/helpers';
import { cli } from './cli-io';
import { hashTree, treeDiff } from './tree-hash';

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-import-aon-'));
  copyFileSync(join(fixtures, 'issue-numbered.md'), join(dir, 'runbook.md'));
  return dir;
}

async function targets(dir: string): Promise<string[]> {
  const r = await cli(['playbooks', 'import', 'runbook.md', '--out', 'probe'], dir);
  assert.equal(r.code, 0, r.err);
  return readdirSync(join(dir, 'probe')).sort();
}

test('a dangling link at any one target: refused (rc 4) before any file is written', async () => {
  const dir = workdir();
  const names = await targets(dir);
  assert.ok(names.length >= 3, names.join(', '));
  for (const [i, name] of names.entries()) {
    const out = join(dir, `out-${i}`);
    mkdirSync(out);
    symlinkSync(join(dir, 'nowhere', 'zzz'), join(out, name));
    const before = hashTree(out);
    const r = await cli(['playbooks', 'import', 'runbook.md', '--out', `out-${i}`], dir);
    assert.equal(r.code, 4, r.err);
    assert.deepEqual(treeDiff(before, hashTree(out)), [], `link at ${name}`);
  }
});

test('--force onto a folder with a target name: refused before writing, no temp left', async () => {
  const dir = workdir();
  const names = await targets(dir);
  mkdirSync(join(dir, 'out'));
  mkdirSync(join(dir, 'out', names[1]!));
  const before = hashTree(join(dir, 'out'));
  const r = await cli(['playbooks', 'import', 'runbook.md', '--out', 'out', '--force'], dir);
  assert.equal(r.code, 4, r.err);
  assert.match(r.err, /refusing to replace .*: not a file/);
  assert.deepEqual(treeDiff(before, hashTree(join(dir, 'out'))), []);
});
