// The CLI's front door (src/cli/dispatch.ts): diagnose, fix, undo and journal run from the small
// dist/cli.js; everything else and help come from dist/cli-full.js. Checked on the real
// bundles: which file a run loads is seen by a preload that records every required path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAST_COMMANDS } from '../../../src/cli/dispatch';
import { COMMANDS } from '../../../src/cli/run';
import { makeRepo } from '../git/helpers';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

test('every fast command is the full table own, and no other command path starts with its word', () => {
  for (const fast of FAST_COMMANDS) {
    assert.ok(COMMANDS.includes(fast), `${fast.path.join(' ')} is in the full table`);
    assert.equal(fast.path.length, 1);
    const others = COMMANDS.filter((c) => c !== fast && c.path[0] === fast.path[0]);
    assert.deepEqual(others.map((c) => c.path.join(' ')), [], `no other command under "${fast.path[0]}"`);
  }
});

/** Runs dist/cli.js with a preload that writes the bundles it loaded (dist/*.js) to a file. */
function run(args: string[], cwd: string): { status: number | null; stdout: string; loaded: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-dispatch-'));
  try {
    const log = join(dir, 'loaded.json');
    const preload = join(dir, 'record.cjs');
    writeFileSync(
      preload,
      `const M = require('module'); const seen = new Set(); const orig = M._load;
M._load = function (req, parent, isMain) { const f = M._resolveFilename(req, parent, isMain); if (/[\\\\/]dist[\\\\/][^\\\\/]+\\.js$/.test(f)) seen.add(require('path').basename(f)); return orig.apply(this, arguments); };
process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(log)}, JSON.stringify([...seen])));\n`,
    );
    const r = spawnSync(process.execPath, ['--require', preload, CLI, ...args], { cwd, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, loaded: (JSON.parse(readFileSync(log, 'utf8')) as string[]).sort() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('diagnose runs from dist/cli.js alone; other commands and help load dist/cli-full.js', () => {
  const repo = makeRepo('dispatch');
  const d = run(['diagnose', '--json', '--cwd', repo.root], repo.root);
  assert.equal(d.status, 0);
  assert.ok(Array.isArray((JSON.parse(d.stdout) as { findings: unknown[] }).findings), 'diagnose answered');
  assert.deepEqual(d.loaded, ['cli.js'], 'diagnose needs nothing but the small bundle');

  const help = run(['--help'], repo.root);
  assert.deepEqual(help.loaded, ['cli-full.js', 'cli.js']);
  for (const c of COMMANDS) assert.ok(help.stdout.includes(c.usage), `help lists ${c.path.join(' ')}`);

  const dHelp = run(['diagnose', '--help'], repo.root);
  assert.match(dHelp.stdout, /^Usage: lifeline diagnose/);

  const list = run(['playbooks', 'list'], repo.root);
  assert.equal(list.status, 0);
  assert.ok(list.loaded.includes('cli-full.js'), 'playbooks list comes from the full table');
  assert.match(list.stdout, /agent-hang/);
});
