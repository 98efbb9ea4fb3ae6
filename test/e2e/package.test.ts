// The .vsix ships only what .vscodeignore promises: the bundles, sql.js's wasm, media/,
// playbooks/, README, CHANGELOG, LICENSE and package.json — no sources, maps or node_modules.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { e2eHost } from './support/host';

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** Reads a zip's central directory (enough of the format for a .vsix). */
function zipEntries(zip: Buffer): ZipEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'not a zip file: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'corrupt central directory');
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    out.push({
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.subarray(at + 46, at + 46 + nameLen).toString('utf8'),
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** An entry's bytes, inflated (a .vsix uses only store and deflate). */
function entryBytes(zip: Buffer, e: ZipEntry): Buffer {
  const nameLen = zip.readUInt16LE(e.localOffset + 26);
  const extraLen = zip.readUInt16LE(e.localOffset + 28);
  const start = e.localOffset + 30 + nameLen + extraLen;
  const data = zip.subarray(start, start + e.compressedSize);
  return e.method === 8 ? inflateRawSync(data) : data;
}

const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/LICENSE(\.txt)?$/,
  /^extension\/dist\/(extension|features|playbook-loader|junit|cli|cli-full|scan-worker|hook|webview)\.js$/,
  // The built-in playbooks, and their forbidden-command rules for the hook's fast path.
  /^extension\/dist\/(playbooks|forbidden)\.json$/,
  // The manifest's localised strings, and the runtime's (vscode.l10n).
  /^extension\/package\.nls(\.[\w-]+)?\.json$/,
  /^extension\/l10n\/bundle\.l10n(\.[\w-]+)?\.json$/,
  /^extension\/dist\/[\w-]+\.css$/,
  /^extension\/dist\/sql-wasm\.wasm$/,
  /^extension\/media\/[\w./-]+$/,
  /^extension\/playbooks\/[\w./-]+$/,
];

test('the .vsix holds only the shipped files', () => {
  const zip = readFileSync(e2eHost().vsix);
  const names = zipEntries(zip).map((e) => e.name);
  const unexpected = names.filter((n) => !ALLOWED.some((re) => re.test(n)));
  assert.deepEqual(unexpected, [], `files that should not ship: ${unexpected.join(', ')}`);
  for (const must of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/features.js', 'extension/dist/cli.js', 'extension/dist/cli-full.js', 'extension/dist/hook.js', 'extension/dist/forbidden.json', 'extension/dist/playbooks.json', 'extension/dist/playbook-loader.js', 'extension/package.nls.json', 'extension/dist/sql-wasm.wasm', 'extension/media/icon.png', 'extension/LICENSE.txt']) {
    assert.ok(names.includes(must), `${must} is missing from the .vsix`);
  }
  assert.ok(names.some((n) => /^extension\/readme\.md$/i.test(n)), 'README is missing');
  assert.ok(names.some((n) => /^extension\/changelog\.md$/i.test(n)), 'CHANGELOG is missing');
  assert.ok(names.some((n) => /^extension\/playbooks\/.+\.ya?ml$/.test(n)), 'no playbooks shipped');
  assert.ok(!names.some((n) => n.endsWith('.map') || n.includes('node_modules') || n.includes('/src/')), 'sources, maps or node_modules shipped');
});

test('the packaged manifest is Marketplace-ready and activates lazily', () => {
  const zip = readFileSync(e2eHost().vsix);
  const manifest = zipEntries(zip).find((e) => e.name === 'extension/package.json');
  assert.ok(manifest);
  const pkg = JSON.parse(entryBytes(zip, manifest).toString('utf8'));
  assert.equal(pkg.icon, 'media/icon.png');
  assert.ok(pkg.repository?.url, 'repository is missing');
  assert.ok(Array.isArray(pkg.categories) && pkg.categories.length > 0, 'categories are missing');
  assert.ok(Array.isArray(pkg.keywords) && pkg.keywords.length > 0, 'keywords are missing');
  assert.match(pkg.engines?.vscode ?? '', /^\^1\.100\./);
  assert.ok(!(pkg.activationEvents ?? []).includes('*'), 'activation must be lazy (no "*")');
  const icon = zipEntries(zip).find((e) => e.name === 'extension/media/icon.png');
  assert.ok(icon);
  const png = entryBytes(zip, icon);
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  assert.equal(png.readUInt32BE(16), 128, 'icon width');
  assert.equal(png.readUInt32BE(20), 128, 'icon height');
});

test('the shipped activation bundle requires vscode once and nothing heavy', () => {
  const zip = readFileSync(e2eHost().vsix);
  const entry = zipEntries(zip).find((e) => e.name === 'extension/dist/extension.js');
  assert.ok(entry, 'dist/extension.js is missing from the .vsix');
  const code = entryBytes(zip, entry).toString('utf8');
  const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  // Each require('vscode') goes through the extension host's module interceptor; one is enough.
  assert.equal(required.filter((r) => r === 'vscode').length, 1, 'vscode is required more than once');
  // The features bundle (playbooks, classifier, engine, sql.js, simple-git) loads at first use;
  // Node's own modules are already in memory.
  assert.deepEqual([...new Set(required)].filter((r) => !r!.startsWith('node:')).sort(), ['./features.js', 'vscode']);
  assert.ok(!/sql-wasm|simple-git/.test(code), 'the activation bundle holds code that should load at first use');
});
