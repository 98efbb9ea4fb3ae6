// `lifeline playbooks import FILE.md [--json] [--out DIR] [--force]`: turns a Markdown runbook
// into canonical playbooks; prints a summary (or the playbooks as JSON) and, with --out, writes
// one YAML file per playbook, refusing to replace existing files unless --force.
import { parseArgs } from 'node:util';
import { link, lstat, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { importRunbook } from '../../core/importer/import-runbook';
import type { ImportResult } from '../../core/importer/import-runbook';
import { ImportError } from '../../core/importer/errors';
import { MAX_RUNBOOK_BYTES } from '../../core/importer/source-text';
import { orderedPlaybook, playbookToYaml } from '../../core/importer/playbook-yaml';
import { parsePlaybook } from '../../core/playbooks/loader';
import { formatError } from '../../core/playbooks/collection';
import type { Playbook } from '../../core/playbooks/model';
import { EXIT, paint, usageError } from '../io';
import type { CliCommand, CliIO } from '../io';

function fail(io: CliIO, message: string, code: number = EXIT.failure): number {
  io.err.write(`lifeline: ${message}\n`);
  return code;
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

export const playbooksImport: CliCommand = {
  path: ['playbooks', 'import'],
  usage: 'lifeline playbooks import FILE.md [--json] [--out DIR] [--force]',
  summary: 'Turn a Markdown runbook into playbooks (--out writes one YAML file each; --force replaces files)',
  async run(args, io) {
    let values: { json?: boolean; out?: string; force?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { json: { type: 'boolean' }, out: { type: 'string' }, force: { type: 'boolean' } },
      }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    if (positionals.length !== 1) return usageError(io, 'playbooks import takes one Markdown file');
    if (values.out !== undefined && !values.out.trim()) return usageError(io, '--out needs a folder');
    const file = positionals[0]!;
    const path = resolve(io.cwd, file);

    let bytes: Uint8Array;
    try {
      // A FIFO or a device would block or never end; a huge file is no runbook.
      const s = await stat(path);
      if (!s.isFile()) return fail(io, `cannot read ${file}: not a regular file`, EXIT.usage);
      if (s.size > MAX_RUNBOOK_BYTES) return fail(io, `${file}: too large for a runbook (${s.size} bytes; the limit is ${MAX_RUNBOOK_BYTES})`);
      bytes = await readFile(path);
    } catch (e) {
      return fail(io, `cannot read ${file}: ${errorCode(e)}`, EXIT.usage);
    }
    let result: ImportResult;
    try {
      result = importRunbook(bytes, path);
    } catch (e) {
      if (e instanceof ImportError) return fail(io, `${file}: ${e.message}`);
      throw e;
    }

    // Every playbook goes through the same loader `playbooks lint` uses before anything is written.
    const files = result.playbooks.map((p) => ({ playbook: p, name: `${p.id}.yaml`, text: playbookToYaml(p, header(p, file)) }));
    for (const f of files) {
      const check = parsePlaybook(f.text, f.name);
      if (check.errors.length) return fail(io, `internal: imported playbook does not load: ${formatError(check.errors[0]!)}`);
    }

    let written: string[] = [];
    if (values.out !== undefined) {
      const dir = resolve(io.cwd, values.out);
      const outcome = await writeAll(dir, files, values.force ?? false);
      if ('error' in outcome) return fail(io, outcome.error, outcome.code);
      written = outcome.written;
    }

    if (values.json) {
      io.out.write(JSON.stringify(result.playbooks.map(orderedPlaybook), null, 2) + '\n');
      return EXIT.ok;
    }
    io.out.write(summary(io, result, file, written));
    return EXIT.ok;
  },
};

function header(p: Playbook, file: string): string {
  return `Imported from ${basename(file)} by \`lifeline playbooks import\`.\nReview severity, failureType, recoverable and the symptoms before relying on "${p.id}".`;
}

type WriteOutcome = { written: string[] } | { error: string; code: number };

async function writeAll(dir: string, files: { name: string; text: string }[], force: boolean): Promise<WriteOutcome> {
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) return { error: `--out ${dir} is not a folder`, code: EXIT.usage };
  } catch {
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      return { error: `cannot create ${dir}: ${errorCode(e)}`, code: EXIT.failure };
    }
  }
  const targets = files.map((f) => ({ ...f, path: join(dir, f.name), tmp: join(dir, `.${f.name}.${process.pid}.tmp`) }));
  // All or nothing: every target is checked before anything is written (lstat: a dangling link
  // is taken too), every file is written to a temp, and only then moved into place.
  const taken: string[] = [];
  for (const t of targets) {
    let st;
    try {
      st = await lstat(t.path);
    } catch {
      continue;
    }
    if (st.isDirectory() || (!st.isFile() && !st.isSymbolicLink())) return { error: `refusing to replace ${t.path}: not a file`, code: EXIT.refused };
    taken.push(t.path);
  }
  if (taken.length && !force) {
    const more = taken.length > 1 ? ` (and ${taken.length - 1} more)` : '';
    return { error: `refusing to overwrite ${taken[0]}${more}; pass --force to replace`, code: EXIT.refused };
  }
  const temps: string[] = [];
  const cleanUp = () => Promise.all(temps.map((tmp) => rm(tmp, { force: true })));
  try {
    for (const t of targets) {
      await writeFile(t.tmp, t.text, { flag: 'wx' });
      temps.push(t.tmp);
    }
  } catch (e) {
    await cleanUp();
    return { error: `cannot write in ${dir}: ${errorCode(e)}; nothing was written`, code: EXIT.failure };
  }
  const written: string[] = [];
  for (const t of targets) {
    try {
      // Without --force a link fails if the name was taken meanwhile; rename would replace it.
      if (force) await rename(t.tmp, t.path);
      else {
        await link(t.tmp, t.path);
        await rm(t.tmp, { force: true });
      }
      written.push(t.path);
    } catch (e) {
      await cleanUp();
      const done = written.length ? ` (${written.length} already written: ${written.join(', ')})` : '';
      return { error: `cannot write ${t.path}: ${errorCode(e)}${done}`, code: errorCode(e) === 'EEXIST' ? EXIT.refused : EXIT.failure };
    }
  }
  return { written };
}

function summary(io: CliIO, r: ImportResult, file: string, written: string[]): string {
  const lines: string[] = [];
  const n = r.playbooks.length;
  const how = r.layout === 'single' ? 'the whole runbook as one scenario' : 'one per scenario section';
  lines.push(`Imported ${n} playbook${n === 1 ? '' : 's'} from ${file} (${how}):`);
  const width = Math.max(...r.playbooks.map((p) => p.id.length));
  for (const p of r.playbooks) {
    const commands = p.nodes.reduce((sum, node) => sum + (node.kind === 'step' ? node.commands.length : 0), 0);
    const facts = `${p.symptoms.length} symptoms, ${p.nodes.length} nodes, ${commands} commands${p.forbidden.length ? `, ${p.forbidden.length} forbidden` : ''}`;
    lines.push(`  ${paint(io, 36, p.id.padEnd(width))}  ${p.title}  ${paint(io, 2, `(${facts})`)}`);
  }
  const after = r.sections.filter((s) => s.use === 'prevention');
  const unresolved = r.sections.filter((s) => s.use === 'guidance' || s.use === 'other');
  const left = r.sections.filter((s) => s.use === 'intro');
  if (after.length) lines.push(`Every playbook ends with, once resolved: ${after.map((s) => s.title).join(', ')}`);
  if (unresolved.length) lines.push(`Every playbook offers, when not resolved: ${unresolved.map((s) => s.title).join(', ')}`);
  if (left.length) lines.push(`Left out: ${left.map((s) => s.title).join(', ')}`);
  const { repaired, stripped } = r.mojibake;
  if (repaired || stripped) lines.push(`Mojibake: ${repaired} characters repaired, ${stripped} broken sequences dropped`);
  if (written.length) {
    const shown = written.map((w) => relative(io.cwd, w) || w);
    lines.push(`Wrote ${written.length} file${written.length === 1 ? '' : 's'}: ${shown.join(', ')}`);
  } else {
    lines.push('Nothing written: pass --out DIR to save them as YAML (the workspace folder for your own playbooks is .lifeline/playbooks by default).');
  }
  lines.push(paint(io, 33, 'Review before use: severity 3, failure type "error" and "recoverable: imported; review" are defaults where the runbook says nothing.'));
  return lines.join('\n') + '\n';
}
