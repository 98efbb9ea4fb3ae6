// `npm run package`: builds the production bundles (vsce runs `vscode:prepublish`) and packs
// out/lifeline-<version>.vsix with @vscode/vsce. What goes in is decided by .vscodeignore;
// test/e2e/package.test.ts checks the result.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');

/** Packs the extension; returns the absolute path of the .vsix. Throws with vsce's output on failure. */
export function packageVsix() {
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = join(root, 'out', `${name}-${version}.vsix`);
  mkdirSync(join(root, 'out'), { recursive: true });
  rmSync(out, { force: true });
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error || r.status !== 0 || !existsSync(out)) {
    const text = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
    throw new Error(`packaging failed (vsce exit ${r.status}): ${r.error?.message ?? text.split('\n').slice(-8).join('\n')}`);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(packageVsix());
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
