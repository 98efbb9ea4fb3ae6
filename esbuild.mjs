// Builds every bundle Lifeline ships: the extension (Node, CommonJS, `vscode` external) in two
// parts — a small activation bundle and the features it loads at first use — the `lifeline`
// CLI, and the webview UI (browser). `--production` minifies; `--watch` rebuilds.
import { context } from 'esbuild';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * Activation must stay cheap, and esbuild cannot split CommonJS output: so the activation
 * bundle leaves `import('./features')` as a runtime require of dist/features.js, a bundle of
 * its own.
 */
const lazyFeatures = {
  name: 'lazy-features',
  setup(build) {
    build.onResolve({ filter: /^\.\/features$/ }, (args) =>
      args.kind === 'dynamic-import' && args.importer.endsWith('lazy-features.ts') ? { path: './features.js', external: true } : undefined,
    );
  },
};

/**
 * Parts of the features bundle that only some workspaces need are bundles of their own, loaded
 * at first use: `import()` of these modules from the editor stays a runtime require of the file
 * named here. The YAML loader (the built-in playbooks come from dist/playbooks.json; YAML is
 * parsed only for a workspace's own playbooks) and the JUnit reader (with its XML parser).
 */
const LAZY_MODULES = [
  { module: /\/core\/playbooks\/loader$/, entry: 'src/core/playbooks/loader.ts', out: 'playbook-loader.js' },
  { module: /\/core\/testreports\/junit$/, entry: 'src/core/testreports/junit.ts', out: 'junit.js' },
];
const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    for (const m of LAZY_MODULES) {
      build.onResolve({ filter: m.module }, (args) =>
        args.kind === 'dynamic-import' && /[\\/]src[\\/](editor|hook)[\\/]/.test(args.importer) ? { path: `./${m.out}`, external: true } : undefined,
      );
    }
  },
};

/** The CLI's full command table is a bundle of its own, required at first use (src/cli/dispatch.ts). */
const lazyCliTable = {
  name: 'lazy-cli-table',
  setup(build) {
    build.onResolve({ filter: /^\.\/run$/ }, (args) =>
      args.kind === 'dynamic-import' && /[\\/]src[\\/]cli[\\/]dispatch\.ts$/.test(args.importer) ? { path: './cli-full.js', external: true } : undefined,
    );
  },
};

/**
 * One `require('vscode')` per bundle. esbuild gives every module that imports an external its own
 * `__toESM(require(...))`, which for `vscode` means a trip through the extension host's module
 * interceptor (a realpath of the caller) and a copy of the ~300-key API object, per module: most
 * of the activation bundle's load time. Modules import a single re-export of it instead.
 */
const singleVscode = {
  name: 'single-vscode',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-api' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-api' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [lazyFeatures, singleVscode],
    // A plain require() inside a promise: the extension host's CommonJS loader, not Node's ESM one.
    supported: { 'dynamic-import': false },
  },
  {
    ...common,
    entryPoints: ['src/editor/features.ts'],
    outfile: 'dist/features.js',
    alias: { debug: './src/core/git/debug-off.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [lazyModules, singleVscode],
    supported: { 'dynamic-import': false },
  },
  ...LAZY_MODULES.map((m) => ({ ...common, entryPoints: [m.entry], outfile: `dist/${m.out}`, platform: 'node', format: 'cjs', target: 'node20' })),
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [lazyCliTable],
    supported: { 'dynamic-import': false },
  },
  // Every CLI command and help (src/cli/dispatch.ts loads it for all but the frequent few).
  { ...common, entryPoints: ['src/cli/run.ts'], outfile: 'dist/cli-full.js', platform: 'node', format: 'cjs', target: 'node20' },
  // The Claude Code PreToolUse hook (src/hook/): only the forbidden-command check, so it starts fast.
  {
    ...common,
    entryPoints: ['src/hook/main.ts'],
    outfile: 'dist/hook.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [lazyModules],
    supported: { 'dynamic-import': false },
  },
  // The CLI's scan worker (see src/cli/parallel-scan.ts): only the stream, so it starts fast.
  { ...common, entryPoints: ['src/cli/scan-worker.ts'], outfile: 'dist/scan-worker.js', platform: 'node', format: 'cjs', target: 'node20' },
];
if (existsSync('src/webview/main.ts')) {
  builds.push({
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

await mkdir('dist', { recursive: true });
// sql.js loads its WebAssembly from beside the bundle at first use.
await copyFile('node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm');

const contexts = await Promise.all(builds.map((b) => context(b)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  await Promise.all(contexts.map((c) => c.rebuild()));
  await compilePlaybooks(); // once: rerun the build after editing playbooks/
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  await compilePlaybooks();
}

/** dist/playbooks.json: the built-in playbooks, validated by the same loader users get; and dist/forbidden.json. */
async function compilePlaybooks() {
  const { loadPlaybookDir } = createRequire(import.meta.url)('./dist/playbook-loader.js');
  const { playbooks, errors } = await loadPlaybookDir('playbooks');
  if (errors.length) {
    console.error(errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('\n'));
    process.exit(1);
  }
  await writeFile('dist/playbooks.json', JSON.stringify(playbooks));
  // The hook's fast path reads only these (src/hook/main.ts).
  const { forbiddenTable } = createRequire(import.meta.url)('./dist/hook.js');
  await writeFile('dist/forbidden.json', JSON.stringify(forbiddenTable(playbooks)));
}
