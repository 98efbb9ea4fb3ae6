// The PreToolUse fast path (dist/hook.js) runs before every Bash call an agent makes, so it may
// load no git and no database: bundled the way esbuild.mjs bundles it, none of the git layer,
// the database layer, the engine, simple-git or sql.js may be among its inputs. (An import of
// the workspace-reading check-command tool once pulled all of them in: 195 KB, +40 ms a call.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..', '..');

test('dist/hook.js bundles no git, no database and no engine', async () => {
  const r = await build({
    entryPoints: [join(ROOT, 'src', 'hook', 'main.ts')],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // As esbuild.mjs: the YAML loader is a bundle of its own, loaded only for a workspace's own playbooks.
    plugins: [{ name: 'lazy-loader', setup: (b) => b.onResolve({ filter: /\/core\/playbooks\/loader$/ }, (a) => (a.kind === 'dynamic-import' ? { path: './playbook-loader.js', external: true } : undefined)) }],
  });
  const inputs = Object.keys(r.metafile.inputs);
  const heavy = inputs.filter((f) => /^src\/core\/(git|database|engine)\/|node_modules\/(simple-git|sql\.js|@modelcontextprotocol)\//.test(f));
  assert.deepEqual(heavy, [], 'the fast path must not load these');
  assert.ok(inputs.includes('src/tools/command-verdict.ts'), 'it answers with the same verdict as lifeline check-command');
});
