// package.json's `languageModelTools` is what VS Code shows agents; the shared tool catalogue
// (src/tools/inputs.ts) is what the tools accept. These must not drift apart: every tool is
// declared once, with the same schema, the same words for the model, a reference name, and the
// tools that change something hidden outside trusted workspaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHANGING_TOOLS, TOOL_INFO, TOOL_NAMES } from '../../../src/tools/catalog';
import { parseToolInput, toolInputJsonSchema } from '../../../src/tools/inputs';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));
interface LmTool {
  name: string;
  displayName: string;
  toolReferenceName?: string;
  canBeReferencedInPrompt?: boolean;
  userDescription?: string;
  modelDescription: string;
  tags?: string[];
  when?: string;
  inputSchema: unknown;
}
const declared: LmTool[] = pkg.contributes.languageModelTools;

test('package.json declares exactly the shared tools, each with its schema and its words for the model', () => {
  assert.deepEqual(declared.map((t) => t.name), TOOL_NAMES);
  for (const t of declared) {
    const name = t.name as (typeof TOOL_NAMES)[number];
    assert.deepEqual(t.inputSchema, toolInputJsonSchema(name), `${name}: inputSchema differs from src/tools/inputs.ts`);
    assert.equal(t.modelDescription, TOOL_INFO[name].description, `${name}: modelDescription`);
  }
});

test('every tool can be picked and named in a prompt, and its user-facing words are localised', () => {
  const refs = new Set<string>();
  for (const t of declared) {
    // VS Code 1.100 rejects a pickable tool without a reference name; names allow no dots.
    assert.match(t.name, /^(?!copilot_|vscode_)[\w-]+$/);
    assert.equal(t.canBeReferencedInPrompt, true, t.name);
    assert.match(t.toolReferenceName ?? '', /^[\w-]+$/, t.name);
    refs.add(t.toolReferenceName!);
    for (const key of [t.displayName, t.userDescription]) {
      const m = /^%(.+)%$/.exec(key ?? '');
      assert.ok(m && typeof nls[m[1]!] === 'string' && nls[m[1]!].length > 0, `${t.name}: ${key} is not in package.nls.json`);
    }
    assert.ok(t.tags?.includes('lifeline'), t.name);
  }
  assert.equal(refs.size, declared.length, 'reference names are unique');
});

test('only the tools that change something are hidden in Restricted Mode', () => {
  for (const t of declared) assert.equal(t.when, CHANGING_TOOLS.has(t.name as (typeof TOOL_NAMES)[number]) ? 'isWorkspaceTrusted' : undefined, t.name);
  assert.deepEqual([...CHANGING_TOOLS].sort(), ['lifeline_fix', 'lifeline_record_attempt', 'lifeline_undo']);
});

test('tool input is checked against its shape, unknown keys refused, with one line naming the field', () => {
  assert.deepEqual(parseToolInput('lifeline_classify', { text: 'boom' }), { ok: true, value: { text: 'boom' } });
  const missing = parseToolInput('lifeline_classify', {});
  assert.equal(missing.ok, false);
  assert.match(!missing.ok ? missing.error : '', /^invalid input for lifeline_classify: text: /);
  const extra = parseToolInput('lifeline_fix', { action: 'worktree.prune', confirm: true });
  assert.equal(extra.ok, false, 'a model cannot smuggle a "confirm" argument in');
  const badId = parseToolInput('lifeline_fix', { action: 'worktree.prune', previewId: 'zz' });
  assert.match(!badId.ok ? badId.error : '', /previewId/);
  assert.equal(parseToolInput('lifeline_diagnose', undefined).ok, true);
  assert.equal(parseToolInput('lifeline_diagnose', 'text').ok, false);
});

test('MCP lists the same tools with the same words and input schemas as the VS Code manifest', async (t) => {
  const { InMemoryTransport } = await import('@modelcontextprotocol/sdk/inMemory.js');
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { createServer } = await import('../../../src/mcp/server');
  const server = createServer({ ctx: { cwd: root, playbooks: async () => [] }, trusted: false, version: '0.0.0', log: () => undefined });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'manifest-test', version: '1' });
  await Promise.all([server.connect(a), client.connect(b)]);
  t.after(() => client.close());
  const listed = (await client.listTools()).tools;
  assert.deepEqual(listed.map((x) => x.name).sort(), [...TOOL_NAMES].sort());
  for (const tool of listed) {
    const d = declared.find((x) => x.name === tool.name)!;
    assert.equal(tool.description, d.modelDescription, tool.name);
    const { $schema: _ignored, ...schema } = tool.inputSchema as Record<string, unknown>;
    assert.deepEqual(schema, d.inputSchema, `${tool.name}: MCP's input schema differs from package.json's`);
  }
});
