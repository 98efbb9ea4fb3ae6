import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderKind } from '../../../src/core/git/repository';
import { git } from './helpers';

test('a plain folder, a repository without commits and one with commits are told apart (first contact)', async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'lifeline-kind-')));
  assert.equal(await folderKind(dir), 'not-git');
  git(dir, 'init', '--quiet', '--initial-branch=main');
  assert.equal(await folderKind(dir), 'no-commits');
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  git(dir, 'add', 'a.txt');
  git(dir, 'commit', '--quiet', '-m', 'first');
  assert.equal(await folderKind(dir), 'repository');
  mkdirSync(join(dir, 'sub'));
  assert.equal(await folderKind(join(dir, 'sub')), 'repository');
});
