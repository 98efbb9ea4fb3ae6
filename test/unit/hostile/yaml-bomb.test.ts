// A YAML alias bomb ("billion laughs") in one workspace playbook: that file is reported by name,
// the others (and the built-ins) are still used, and nothing is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cli-io';
import { hashTree, treeDiff } from './tree-hash';

function bomb(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  return lines.join('\n') + '\n';
}

test('an alias bomb fails only its own file, named, and the rest still classify', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-bomb-'));
  mkdirSync(join(dir, 'pb'));
  writeFileSync(join(dir, 'pb', 'bomb.yaml'), bomb());
  writeFileSync(join(dir, 'out.log'), 'database is locked\n');
  const before = hashTree(dir);
  const r = await cli(['classify', join(dir, 'out.log'), '--playbooks', join(dir, 'pb'), '--json'], dir);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).scenario, 'db-locked');
  assert.match(r.err, /bomb\.yaml:1: cannot read: .*alias/i);
  const lint = await cli(['playbooks', 'lint', join(dir, 'pb')], dir);
  assert.equal(lint.code, 1);
  assert.match(lint.out, /^\S*bomb\.yaml:1: cannot read: .*alias/im);
  assert.deepEqual(treeDiff(before, hashTree(dir)), []);
});
