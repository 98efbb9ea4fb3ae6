// Which Node an agent starts the bundled CLI with: an executable `node` found on PATH (a plain
// file that is not executable is passed over), else the editor's own runtime told to act as Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { bundledCommand, nodeOnPath } from '../../../src/tools/node-runtime';

test('a node on PATH is used; without one, the editor runtime runs the script with ELECTRON_RUN_AS_NODE=1', { skip: process.platform === 'win32' ? 'executable bits are POSIX' : false }, (t) => {
  const base = mkdtempSync(join(tmpdir(), 'lifeline-node-path-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const notExec = join(base, 'a');
  const exec = join(base, 'b');
  mkdirSync(notExec);
  mkdirSync(exec);
  writeFileSync(join(notExec, 'node'), '#!/bin/sh\n');
  chmodSync(join(notExec, 'node'), 0o644);
  writeFileSync(join(exec, 'node'), '#!/bin/sh\n');
  chmodSync(join(exec, 'node'), 0o755);
  mkdirSync(join(base, 'c', 'node'), { recursive: true }); // a folder named node is no program

  assert.equal(nodeOnPath([join(base, 'c'), notExec, exec].join(delimiter)), join(exec, 'node'));
  assert.equal(nodeOnPath([join(base, 'c'), notExec, ''].join(delimiter)), undefined);
  assert.equal(nodeOnPath(undefined), undefined);

  assert.deepEqual(bundledCommand('/ext/dist/cli.js', ['mcp'], '/opt/code/code', exec), { node: join(exec, 'node'), args: ['/ext/dist/cli.js', 'mcp'] });
  assert.deepEqual(bundledCommand('/ext/dist/cli.js', ['mcp'], '/opt/code/code', notExec), {
    node: '/opt/code/code',
    args: ['/ext/dist/cli.js', 'mcp'],
    env: { ELECTRON_RUN_AS_NODE: '1' },
  });
});
