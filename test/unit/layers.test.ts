// The layering is enforced, not just written down: the repository's own eslint.config.mjs run
// through the ESLint API on imports placed in each layer. A forbidden import is an error naming
// the rule; the imports each layer is meant to make stay clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

/** The restricted-import messages for a file at `file` (repository-relative) that imports `spec`. */
async function problems(file: string, spec: string): Promise<string[]> {
  const code = `import type { X } from '${spec}';\nexport type Y = X;\n`;
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('a forbidden import between layers fails the lint, with the layer rule as the message', async () => {
  const forbidden: [string, string, RegExp][] = [
    ['src/core/fixups/probe.ts', '../git/scan', /kernel/],
    ['src/core/fixups/probe.ts', '../database/rows', /kernel/],
    ['src/core/fixups/probe.ts', '../engine/diagnose', /kernel/],
    ['src/core/fixups/probe.ts', '../decisions/session', /kernel/],
    ['src/core/git/probe.ts', '../database/time', /core\/git imports only the kernel/],
    ['src/core/git/fixups/probe.ts', '../../database/rows', /core\/git imports only the kernel/],
    ['src/core/git/probe.ts', '../engine/diagnose', /core\/git imports only the kernel/],
    ['src/core/database/probe.ts', '../git/names', /core\/database imports only the kernel/],
    ['src/core/database/handlers/probe.ts', '../../engine/sources', /core\/database imports only the kernel/],
    ['src/core/engine/probe.ts', '../../tools/diagnose', /core \(engine included\) never imports/],
    ['src/core/engine/probe.ts', '../../editor/features', /core \(engine included\) never imports/],
    ['src/tools/probe.ts', '../cli/io', /src\/tools is shared/],
    ['src/tools/probe.ts', '../mcp/server', /src\/tools is shared/],
    ['src/mcp/probe.ts', '../cli/io', /MCP server uses src\/tools/],
    ['src/cli/probe.ts', '../editor/settings', /Only the editor/],
    ['src/core/git/probe.ts', 'vscode', /Only src\/editor and src\/extension.ts may import vscode/],
    ['src/core/fixups/probe.ts', 'vscode', /Only src\/editor/],
  ];
  for (const [file, spec, message] of forbidden) {
    const found = await problems(file, spec);
    assert.equal(found.length, 1, `${file} importing ${spec} must be refused`);
    assert.match(found[0]!, message, `${file} importing ${spec}`);
  }
});

test('the imports each layer is meant to make pass the lint', async () => {
  const allowed: [string, string][] = [
    ['src/core/fixups/probe.ts', './types'],
    ['src/core/fixups/probe.ts', '../playbooks/model'],
    ['src/core/git/probe.ts', '../fixups/types'],
    ['src/core/git/fixups/probe.ts', '../../fixups/names'],
    ['src/core/git/handlers-probe.ts', './fixups/merge'],
    ['src/core/database/probe.ts', '../fixups/contain'],
    ['src/core/engine/probe.ts', '../git/scan'],
    ['src/core/engine/probe.ts', '../database/rows'],
    ['src/tools/probe.ts', '../core/engine/diagnose'],
    ['src/cli/probe.ts', '../tools/diagnose'],
    ['src/editor/probe.ts', 'vscode'],
  ];
  for (const [file, spec] of allowed) assert.deepEqual(await problems(file, spec), [], `${file} importing ${spec}`);
});
