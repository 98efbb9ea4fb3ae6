#!/usr/bin/env node
// Writes playbooks/playbook.schema.json from the zod model (src/core/playbooks/model.ts), so the
// published JSON Schema can never drift from the validation the loader runs. `npm run schema`;
// `--check` exits 1 (and writes nothing) when the committed file is out of date.
// Run with tsx: node --import tsx scripts/gen-schema.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { playbookJsonSchemaText } from '../src/core/playbooks/json-schema.ts';

const target = fileURLToPath(new URL('../playbooks/playbook.schema.json', import.meta.url));
const text = playbookJsonSchemaText();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is simply out of date
  }
  if (current.replace(/\r\n/g, '\n') !== text) {
    console.error('playbooks/playbook.schema.json is out of date; run `npm run schema`');
    process.exit(1);
  }
  console.log('playbooks/playbook.schema.json is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote playbooks/playbook.schema.json (${text.length} bytes)`);
}
