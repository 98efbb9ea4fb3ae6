// Exit codes as the README documents them: 2 for bad usage or unreadable input (a --cwd that is
// not a folder), 0 for help on a command group, with one plain line instead of a library's words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cli-io';

test('--cwd that does not exist or is a file: rc 2 and one plain line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-exit-'));
  writeFileSync(join(dir, 'file'), 'x');
  for (const command of ['diagnose', 'journal', 'undo', 'fix']) {
    for (const where of [join(dir, 'nonexistent'), join(dir, 'file')]) {
      const args = command === 'fix' ? ['fix', 'db.integrity-check', '--cwd', where, '--dry-run'] : [command, '--cwd', where];
      const r = await cli(args, dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, /^lifeline: cannot use .* as the workspace: (ENOENT|not a folder)\n$/, args.join(' '));
      assert.doesNotMatch(r.err, /simple-git/);
    }
  }
});

test('lifeline playbooks --help lists the playbooks commands (rc 0)', async () => {
  const r = await cli(['playbooks', '--help'], process.cwd());
  assert.equal(r.code, 0, r.err);
  for (const sub of ['lint', 'import', 'list']) assert.match(r.out, new RegExp(`lifeline playbooks ${sub}\\b`));
});
