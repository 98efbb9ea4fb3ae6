// The built-ins compiled to JSON (what the extension and the CLI read) are exactly what the YAML
// loader gives, and the JSON is validated again when read: a tampered entry is reported and left
// out, never trusted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCompiledPlaybooks } from '../../../src/core/playbooks/compiled';
import { loadPlaybookDir } from '../../../src/core/playbooks/loader';

const BUILTINS = join(__dirname, '..', '..', '..', 'playbooks');

test('compiled built-ins read back equal to the YAML; a tampered or broken file is reported, not trusted', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-compiled-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const yaml = await loadPlaybookDir(BUILTINS);
  assert.deepEqual(yaml.errors, []);
  const file = join(dir, 'playbooks.json');
  writeFileSync(file, JSON.stringify(yaml.playbooks));
  const back = await readCompiledPlaybooks(file);
  assert.deepEqual(back.errors, []);
  assert.deepEqual(back.playbooks, yaml.playbooks);

  const tampered = JSON.parse(JSON.stringify(yaml.playbooks)) as { id: string; severity: unknown; nodes: { id: string }[] }[];
  tampered[0]!.severity = 9;
  tampered[1]!.nodes[0]!.id = 'x y';
  writeFileSync(file, JSON.stringify(tampered));
  const bad = await readCompiledPlaybooks(file);
  assert.equal(bad.playbooks.length, yaml.playbooks.length - 2);
  assert.equal(bad.errors.length, 2);
  assert.match(bad.errors[0]!.message, /^playbook 0: severity/);

  writeFileSync(file, '{"not": "an array"}');
  assert.match((await readCompiledPlaybooks(file)).errors[0]!.message, /not an array/);
  writeFileSync(file, '[{');
  assert.match((await readCompiledPlaybooks(file)).errors[0]!.message, /^cannot read the compiled playbooks/);
});
