// Bundles the integration suites for the extension host: out/test/integration/index.js (the
// `extensionTestsPath` entry, mocha bundled in), suites.js (every test/integration/**/*.test.ts,
// in file-name order) and activation-probe.js (the activation benchmark's entry). The suites in
// test/integration/orchestration/ need a crashed orchestration as their workspace, and those in
// test/integration/restricted/ the same workspace in Restricted Mode: each group is bundled
// apart, into out/test/integration/<group>/, for a host run of its own.
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

/** Folders of suites that need a host run of their own. */
export const GROUPS = ['orchestration', 'restricted'];

/**
 * Builds the bundles; returns the absolute path of the entry (index.js) for the plain suites,
 * or with `{ group }` for the suites in test/integration/<group>/.
 */
export async function buildIntegrationTests({ group } = {}) {
  const src = join(repoRoot, 'test', 'integration');
  const out = group ? join(integrationOut, group) : integrationOut;
  const groupOf = (f) => {
    const top = relative(src, f).split(/[\\/]/)[0];
    return GROUPS.includes(top) ? top : undefined;
  };
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
  const imports = testFiles(src)
    .filter((f) => groupOf(f) === group)
    .map((f) => `import ${JSON.stringify(`./${relative(src, f).split('\\').join('/')}`)};`).join('\n');
  await Promise.all([
    build({ ...common, entryPoints: [join(src, 'index.ts')], outfile: join(out, 'index.js') }),
    build({ ...common, stdin: { contents: imports, resolveDir: src, sourcefile: 'suites.ts', loader: 'ts' }, outfile: join(out, 'suites.js') }),
    build({ ...common, entryPoints: [join(src, 'activation-probe.ts')], outfile: join(integrationOut, 'activation-probe.js') }),
  ]);
  return resolve(out, 'index.js');
}
