// `lifeline guide PLAYBOOK [--subject S] [--cwd DIR] [--json] [--answer NODE=yes|no]...
// [--choose OPTION]... [--input NAME=VALUE]... [--discard] [--acknowledge] [--playbooks DIR]`:
// the editor's guide in a terminal, on the same session engine. On a terminal without --json it
// asks with numbered options; with --json (or no terminal) it walks up to the first node that
// needs a person, applies the --answer/--choose/--input flags in the order given, and prints
// where the walk stands. Nothing is run without an explicit yes for that fix-up.
import { parseArgs } from 'node:util';
import { paint, usageError } from '../io';
import type { CliCommand, CliIO } from '../io';
import { loadPlaybooks } from '../playbooks';
import { interactiveGuide, lineReader } from '../guide-tty';
import { applyMove, guideOutcome, guidePlaybook, guideTool, startGuide } from '../../tools/guide';
import type { Move } from '../../tools/guide';
import type { GuideJson } from '../../tools/guide-view';
import type { ToolContext, ToolOutcome } from '../../tools/outcome';
import { shown } from '../../core/text/shown';

const OPTIONS = {
  subject: { type: 'string' },
  cwd: { type: 'string' },
  json: { type: 'boolean' },
  answer: { type: 'string', multiple: true },
  choose: { type: 'string', multiple: true },
  input: { type: 'string', multiple: true },
  discard: { type: 'boolean' },
  acknowledge: { type: 'boolean' },
  playbooks: { type: 'string' },
} as const;

/** The moves in the order they were given on the command line. */
function movesOf(args: string[]): Move[] | string {
  const { tokens } = parseArgs({
    args,
    allowPositionals: true,
    tokens: true,
    options: OPTIONS,
  });
  const moves: Move[] = [];
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const flag = t.name;
    if (flag !== 'answer' && flag !== 'choose' && flag !== 'input') continue;
    if (t.value === undefined) return `--${flag} needs a value`;
    moves.push({ flag, value: t.value });
  }
  return moves;
}

export const guideCommand: CliCommand = {
  path: ['guide'],
  usage: 'lifeline guide PLAYBOOK [--subject S] [--cwd DIR] [--json] [--answer NODE=yes|no] [--choose OPTION] [--input NAME=VALUE] [--discard] [--acknowledge]',
  summary: 'Walk a recovery playbook in the terminal (the same guide as the editor)',
  async run(args, io) {
    let values: { subject?: string; cwd?: string; json?: boolean; discard?: boolean; acknowledge?: boolean; playbooks?: string };
    let positionals: string[];
    let moves: Move[] | string;
    try {
      ({ values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: OPTIONS,
      }));
      moves = movesOf(args);
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    if (typeof moves === 'string') return usageError(io, moves);
    if (positionals.length !== 1) return usageError(io, 'guide takes one PLAYBOOK id (see lifeline playbooks list)');
    const loaded = await loadPlaybooks(io, values.playbooks);
    if (typeof loaded === 'number') return loaded;
    const ctx: ToolContext = { cwd: io.cwd, ...(io.signal ? { signal: io.signal } : {}), playbooks: () => Promise.resolve(loaded) };
    const playbook = await guidePlaybook(ctx, { playbook: positionals[0]! });
    const flags = { discard: Boolean(values.discard), acknowledge: Boolean(values.acknowledge), fixupsAllowed: true };
    const where = { ...(values.subject !== undefined ? { subject: values.subject } : {}), ...(values.cwd !== undefined ? { cwd: values.cwd } : {}) };
    if (!values.json && io.stdin.isTTY) {
      const session = await startGuide(ctx, playbook, { ...where, fixupsAllowed: true });
      for (const m of moves) {
        try {
          await applyMove(session, m, flags);
        } catch (e) {
          return report(io, guideOutcome(session, e));
        }
      }
      return interactiveGuide(session, io, lineReader(io.stdin), flags);
    }
    const outcome = await guideTool(ctx, { playbook: playbook.id, ...where }, flags, moves);
    if (values.json) {
      io.out.write(JSON.stringify(outcome.data, null, 2) + '\n');
      return outcome.exitCode;
    }
    return report(io, outcome);
  },
};

/** Where the walk stands, as text; an error from a move is part of the output. */
function report(io: CliIO, outcome: ToolOutcome<GuideJson & { error?: string }>): number {
  // Titles and outcomes carry names and messages from the workspace: shown escaped.
  const view = outcome.data;
  for (const e of view.path) io.out.write(`${paint(io, 2, '✔')} ${shown(`${e.title} — ${e.outcome}`)}\n`);
  io.out.write(`${paint(io, 1, shown(`Now: ${view.current.title}`))} (${view.current.waitsFor})\n`);
  if (view.next.length) io.out.write(`Move on with: ${shown(view.next.join(' | '))}\n`);
  if (outcome.error) io.err.write(`lifeline: ${shown(outcome.error)}\n`);
  return outcome.exitCode;
}
