// A terminal-only user installs `lifeline` from the packed npm tarball: what goes into the
// tarball (the CLI's bundles and the playbooks; no sources, tests or editor bundles), and that
// `npm install -g` of it gives a working `lifeline` on PATH, with nothing else to install (every
// library is bundled), which classifies output and serves MCP. Packs the built dist/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm pack holds the CLI and playbooks only, and npm install -g of it gives a working lifeline', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-npm-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // --ignore-scripts: pack the dist/ the build stage made (prepack would rebuild it under other tests' feet).
  const pack = spawnSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const files = info!.files.map((f) => f.path);
  for (const f of ['dist/cli.js', 'dist/cli-full.js', 'dist/scan-worker.js', 'dist/hook.js', 'dist/forbidden.json', 'dist/playbooks.json', 'dist/sql-wasm.wasm', 'package.json', 'README.md']) assert.ok(files.includes(f), `${f} is packed`);
  assert.ok(files.some((f) => f.startsWith('playbooks/') && f.endsWith('.yaml')), 'the playbooks are packed');
  for (const f of files) assert.doesNotMatch(f, /^(src|test|scripts|node_modules)\/|^dist\/(extension|features|webview)|\.map$/, `${f} should not be packed`);

  const prefix = join(dir, 'prefix');
  const install = spawnSync(npm, ['install', '-g', '--prefix', prefix, join(dir, info!.filename), '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { encoding: 'utf8' });
  assert.equal(install.status, 0, `installing needs nothing from the registry: ${install.stderr}`);
  const bin = process.platform === 'win32' ? join(prefix, 'lifeline.cmd') : join(prefix, 'bin', 'lifeline');

  const classified = spawnSync(bin, ['classify', '--json', '-'], { input: 'sqlite3.OperationalError: database is locked\n', encoding: 'utf8', cwd: dir });
  assert.equal(classified.status, 0, classified.stderr);
  assert.equal((JSON.parse(classified.stdout) as { scenario: string }).scenario, 'db-locked');

  const reply = await new Promise<string>((resolve, reject) => {
    const child = spawn(bin, ['mcp'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => (child.kill(), reject(new Error(`no answer: ${out}`))), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        child.kill();
        resolve(out.split('\n')[0]!);
      }
    });
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'npm-test', version: '1' } } }) + '\n');
  });
  const parsed = JSON.parse(reply) as { id: number; result: { serverInfo: { name: string }; protocolVersion: string } };
  assert.equal(parsed.result.serverInfo.name, 'lifeline');
  assert.equal(parsed.result.protocolVersion, '2025-06-18');
});
