// The published JSON Schema of the playbook format, derived from the zod model so editors
// (YAML language server, `# yaml-language-server: $schema=...`) validate exactly what the
// loader accepts. Pure; scripts/gen-schema.mjs writes it to playbooks/playbook.schema.json.
import * as z from 'zod/mini';
import { PlaybookSchema } from './model';

export const PLAYBOOK_SCHEMA_ID = 'urn:lifeline:playbook-schema:1';

/** The schema as a JSON value: what a playbook file may contain (defaults are optional). */
export function playbookJsonSchema(): Record<string, unknown> {
  // `io: 'input'` describes the file as written: fields with defaults are not required.
  const generated = z.toJSONSchema(PlaybookSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: PLAYBOOK_SCHEMA_ID,
    title: 'Lifeline playbook',
    description:
      'A recovery playbook for Lifeline: the failure it recognises (symptoms), what it is (severity, failure type, ' +
      'recoverability, root causes, analysis), commands never to run (forbidden) and a decision graph of steps, ' +
      'checks, questions, fix-up actions and end states. See playbooks/README.md.',
    ...rest,
  };
}

/** The file's exact text: two-space indentation and a final newline, stable across runs. */
export function playbookJsonSchemaText(): string {
  return JSON.stringify(playbookJsonSchema(), null, 2) + '\n';
}
