// Bundles the integration suites for the extension host: out/test/integration/index.js (the
// `extensionTestsPath` entry, mocha bundled in), suites.js (every test/integration/**/*.test.ts,
// in file-name order) and activation-probe.js (the activation benchmark's entry).
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { repoRoot } from './setup.mjs';

export const integrationOut = join(repoRoot, 'out', 'test', 'integration');

function testFiles(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()
    .map((f) => join(dir, f));
}

/** Builds the three bundles; returns the absolute path of the entry (index.js). */
export async function buildIntegrationTests() {
  const src = join(repoRoot, 'test', 'integration');
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
    // mocha's parallel mode (never used here) resolves worker files at run time.
    logOverride: { 'require-resolve-not-external': 'silent' },
    absWorkingDir: repoRoot,
  };
  const imports = testFiles(src).map((f) => `import ${JSON.stringify(`./${relative(src, f).split('\\').join('/')}`)};`).join('\n');
  await Promise.all([
    build({ ...common, entryPoints: [join(src, 'index.ts')], outfile: join(integrationOut, 'index.js') }),
    build({ ...common, stdin: { contents: imports, resolveDir: src, sourcefile: 'suites.ts', loader: 'ts' }, outfile: join(integrationOut, 'suites.js') }),
    build({ ...common, entryPoints: [join(src, 'activation-probe.ts')], outfile: join(integrationOut, 'activation-probe.js') }),
  ]);
  return resolve(integrationOut, 'index.js');
}
