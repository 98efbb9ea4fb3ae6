// What diagnose, fix, undo and journal share on the command line: opening the workspace from
// --cwd, showing a preview, asking for confirmation, and turning refusals into exit codes.
import { createInterface } from 'node:readline';
import { toolWorkspace } from '../tools/outcome';
import type { Effect } from '../core/fixups/effects';
import { rowChanges, sameCell, showCell } from '../core/fixups/row-changes';
import type { Preview, WorkspaceContext } from '../core/fixups/types';
import { paint } from './io';
import type { CliIO } from './io';
import { shown } from '../core/text/shown';
import { showArg } from '../core/shell/command-line';
import { plural } from '../core/text/strings';

export function workspaceFrom(io: CliIO, cwd: string | undefined): Promise<WorkspaceContext> {
  return toolWorkspace({ cwd: io.cwd, ...(io.signal ? { signal: io.signal } : {}), playbooks: () => Promise.reject(new Error('no playbooks here')) }, cwd);
}


/** Each effect as the CLI says it: a colour and what it means here (undo is `lifeline undo`). */
const EFFECT_TEXT: Readonly<Record<Effect, { color: number; meaning: string }>> = {
  'read-only': { color: 32, meaning: 'changes nothing in the workspace' },
  reversible: { color: 36, meaning: 'backed up first; `lifeline undo` restores it' },
  irreversible: { color: 33, meaning: 'cannot be undone' },
  destructive: { color: 31, meaning: 'discards the work listed below; needs --discard (what it can, it backs up first)' },
};

/** One SQL statement's rows as `key: column before → after; ...`, the changed columns only. */
function sqlLines(q: NonNullable<Preview['sql']>[number]): string[] {
  const { changed } = rowChanges(q);
  const out = [`  ${q.statement}  (${plural(q.rows.length, 'row')})`];
  if (!q.after || changed.length === 0) return out;
  q.rows.forEach((row, i) => {
    const key = row.workstream_id !== undefined ? showCell(row.workstream_id) : `row ${i + 1}`;
    const cells = changed.filter((c) => !sameCell(row[c], q.after![i]?.[c]));
    out.push(`    ${key}: ${cells.map((c) => `${c} ${quoteCell(row[c])} → ${quoteCell(q.after![i]?.[c])}`).join('; ')}`);
  });
  return out;
}

function quoteCell(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.length > 80 ? `${v.slice(0, 79)}…` : v) : showCell(v);
}

export function formatPreview(io: CliIO, p: Preview): string {
  const e = EFFECT_TEXT[p.effect];
  const lines = [`${paint(io, 1, shown(p.title))} ${paint(io, e.color, `[${p.effect}]`)}`, `Effect: ${p.effect} — ${e.meaning}.`];
  if (p.git?.length) lines.push('Runs:', ...p.git.map((argv) => `  git ${argv.map((a) => shown(showArg(a))).join(' ')}`));
  if (p.sql?.length) lines.push('SQL:', ...p.sql.flatMap(sqlLines).map((l) => shown(l)));
  if (p.files?.length) lines.push('Files:', ...p.files.slice(0, 20).map((f) => `  ${shown(f)}`));
  if (p.notes.length) lines.push(...p.notes.map((n) => (n.startsWith('  ') ? shown(n) : `- ${shown(n)}`)));
  const d = p.discards;
  if (d && (d.files.length || d.commits.length)) {
    lines.push(paint(io, 33, 'Needs --discard to go ahead; it confirms exactly this:'));
    for (const f of d.files) lines.push(`  file   ${shown(f)}`);
    for (const c of d.commits) lines.push(`  commit ${shown(c)}`);
  }
  if (p.refusal) lines.push(paint(io, 31, `Refused: ${shown(p.refusal.reason)}`));
  return lines.join('\n') + '\n';
}

/** Asks on the terminal; false on anything but y/yes. */
export async function confirm(io: CliIO, question: string): Promise<boolean> {
  io.err.write(`${question} [y/N] `);
  const rl = createInterface({ input: io.stdin, terminal: false });
  const answer = await new Promise<string>((res) => {
    rl.once('line', res);
    rl.once('close', () => res(''));
  });
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

export { exitForError, exitForRefusal } from '../tools/outcome';
