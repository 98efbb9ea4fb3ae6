// The built-in playbooks as the build compiles them: `dist/playbooks.json`, the validated YAML of
// playbooks/ as one JSON array, so the extension and the CLI start without parsing YAML (and the
// editor bundle carries no YAML parser). Still validated when read: nothing on disk is trusted.
import { readFile } from 'node:fs/promises';
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { DirResult, PlaybookError } from './collection';
import { checkGraph } from './graph';
import { PlaybookSchema } from './model';
import type { Playbook } from './model';

config(en());

/** The file name the build writes beside the bundles. */
export const COMPILED_PLAYBOOKS = 'playbooks.json';

export async function readCompiledPlaybooks(file: string): Promise<DirResult> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message.split('\n')[0];
    return { playbooks: [], errors: [{ file, line: 1, message: `cannot read the compiled playbooks: ${why}` }] };
  }
  if (!Array.isArray(value)) return { playbooks: [], errors: [{ file, line: 1, message: 'the compiled playbooks are not an array' }] };
  const playbooks: Playbook[] = [];
  const errors: PlaybookError[] = [];
  value.forEach((item: unknown, i) => {
    const parsed = PlaybookSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      errors.push({ file, line: 1, message: `playbook ${i}: ${issue.path.join('.')}${issue.path.length ? ': ' : ''}${issue.message}` });
      return;
    }
    const graph = checkGraph(parsed.data);
    if (graph.length) {
      errors.push({ file, line: 1, message: `${parsed.data.id}: ${graph[0]!.message}` });
      return;
    }
    playbooks.push(parsed.data);
  });
  return { playbooks, errors };
}
