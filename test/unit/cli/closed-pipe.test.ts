// `lifeline playbooks list | head -1`: the reader closes the pipe before the CLI is done writing.
// The CLI stops quietly with its exit code, as other command-line tools do, not with a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { cliBundle } from '../hostile/cli-child';

test('a closed stdout ends the CLI quietly with exit code 0, no EPIPE trace', async () => {
  const file = await cliBundle();
  const child = spawn(process.execPath, [file, 'playbooks', 'list'], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  // Closed before the CLI writes anything, so its first write meets a pipe nobody reads.
  child.stdout.destroy();
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.doesNotMatch(err, /EPIPE|Unhandled 'error' event|at /);
  assert.equal(code, 0, err);
});
