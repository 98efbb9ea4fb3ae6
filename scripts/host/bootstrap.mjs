// Installs the npm dependencies when they are missing or package-lock.json changed since the
// last install — the same stamp scripts/test.mjs keeps, so the two never install twice.
// Uses only Node built-ins: it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function ensureNodeModules(root) {
  const digest = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');
  const stamp = join(root, 'node_modules', '.lifeline-install-stamp');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return;
  console.log('[setup] npm ci');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.error || r.status !== 0) {
    throw new Error('`npm ci` failed: check that the npm registry is reachable and package-lock.json is committed');
  }
  writeFileSync(stamp, digest);
}
