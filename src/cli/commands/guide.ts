// `lifeline guide PLAYBOOK [--subject S] [--cwd DIR] [--json] [--answer NODE=yes|no]...
// [--choose OPTION]... [--input NAME=VALUE]... [--discard] [--acknowledge] [--playbooks DIR]`:
// the editor's guide in a terminal, on the same session engine. On a terminal without --json it
// asks with numbered options; with --json (or no terminal) it walks up to the first node that
// needs a person, applies the --answer/--choose/--input flags in the order given, and prints
// where the walk stands. Nothing is run without an explicit yes for that fix-up.
import { parseArgs } from 'node:util';
import { RecoverySession, SessionError } from '../../core/decisions/session';
import type { SessionDeps } from '../../core/decisions/session';
import { sessionWorkspace } from '../../core/fixups/session-workspace';
import { defaultSources } from '../../core/fixups/sources';
import { openWorkspace } from '../../core/git/workspace';
import { resolve } from 'node:path';
import { EXIT, paint, usageError } from '../io';
import type { CliCommand, CliIO } from '../io';
import { loadPlaybooks } from '../playbooks';
import { guideJson } from '../guide-view';
import { interactiveGuide, lineReader } from '../guide-tty';
import { exitForError } from '../fixup-support';
import { FixupRefused } from '../../core/fixups/types';
import { shown } from '../../core/text/shown';

type Move = { flag: 'answer' | 'choose' | 'input'; value: string };

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

/** Applies one move to wherever the session waits; a move that does not fit is a one-line error. */
async function apply(s: RecoverySession, m: Move, flags: { discard: boolean; acknowledge: boolean }): Promise<void> {
  const p = s.state.pending;
  const node = s.state.current;
  if (m.flag === 'input') {
    const eq = m.value.indexOf('=');
    if (eq <= 0) throw new SessionError(`--input ${m.value}: write NAME=VALUE`, 'invalid');
    await s.provide(m.value.slice(0, eq), m.value.slice(eq + 1));
    return;
  }
  if (m.flag === 'choose') {
    if (p.kind === 'subject') {
      await s.chooseSubject(m.value === 'all' ? null : m.value);
      return;
    }
    if (p.kind !== 'choice' || s.currentNode.kind !== 'question') throw new SessionError(`--choose ${m.value}: the guide waits at "${node}" for ${waitsFor(p.kind)}, not a choice`, 'invalid');
    const options = s.currentNode.options;
    const n = /^\d+$/.test(m.value) ? Number(m.value) - 1 : options.findIndex((o) => o.label === m.value);
    if (n < 0 || n >= options.length) throw new SessionError(`--choose ${m.value}: "${node}" has options 1 to ${options.length}`, 'invalid');
    await s.choose(node, n);
    return;
  }
  const match = /^(.+)=(yes|no)$/.exec(m.value);
  if (!match) throw new SessionError(`--answer ${m.value}: write NODE=yes or NODE=no`, 'invalid');
  const [, id, yn] = match as unknown as [string, string, 'yes' | 'no'];
  if (id !== node) throw new SessionError(`--answer ${m.value}: the guide waits at "${node}", not "${id}"`, 'stale');
  switch (p.kind) {
    case 'ask':
      await s.answer(id, yn);
      return;
    case 'step':
      if (yn === 'yes') await s.continueStep(id, { acknowledge: flags.acknowledge });
      else await s.skipStep(id);
      return;
    case 'confirm':
      if (yn === 'yes') await s.confirm(id, { discard: flags.discard });
      else await s.decline(id);
      return;
    default:
      throw new SessionError(`--answer ${m.value}: "${node}" waits for ${waitsFor(p.kind)}`, 'invalid');
  }
}

function waitsFor(kind: string): string {
  return { subject: 'a subject (--choose)', choice: 'a choice (--choose)', ask: 'an answer', step: 'the step to be done', confirm: 'a fix-up to be confirmed', ended: 'nothing: it is over' }[kind] ?? kind;
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
    const all = await loadPlaybooks(io, values.playbooks);
    if (typeof all === 'number') return all;
    const playbook = all.find((p) => p.id === positionals[0]);
    if (!playbook) return usageError(io, `no playbook "${positionals[0]}" (see lifeline playbooks list)`);

    const root = resolve(io.cwd, values.cwd ?? '.');
    await openWorkspace(root); // a one-line error now rather than in the middle of a walk
    const w = sessionWorkspace((now) => openWorkspace(root, { ...(now ? { now } : {}), ...(io.signal ? { signal: io.signal } : {}) }), defaultSources());
    const deps: SessionDeps = { ...w, fixupsAllowed: true };
    const session = RecoverySession.start(playbook, deps, { id: `cli-${Date.now()}`, ...(values.subject !== undefined ? { subject: values.subject } : {}), trigger: { source: 'manual', at: new Date().toISOString(), evidence: [] } });
    await session.advance();
    const flags = { discard: Boolean(values.discard), acknowledge: Boolean(values.acknowledge) };

    for (const m of moves) {
      try {
        await apply(session, m, flags);
      } catch (e) {
        return report(io, Boolean(values.json), session, e);
      }
    }
    if (!values.json && io.stdin.isTTY) return interactiveGuide(session, io, lineReader(io.stdin), flags);
    return report(io, Boolean(values.json), session);
  },
};

/** Prints where the walk stands (JSON or text); an error from a move is part of the output. */
function report(io: CliIO, json: boolean, s: RecoverySession, failure?: unknown): number {
  // A move the session rejects is bad usage (exit 2); a fix-up it ran into a refusal keeps that refusal's code.
  const error = failure === undefined ? undefined : failure instanceof Error ? failure.message : String(failure);
  const code = failure === undefined ? EXIT.ok : failure instanceof FixupRefused ? exitForError(failure).code : EXIT.usage;
  const view = guideJson(s.playbook, s.state);
  if (json) {
    io.out.write(JSON.stringify(error ? { ...view, error } : view, null, 2) + '\n');
  } else {
    // Titles and outcomes carry names and messages from the workspace: shown escaped.
    for (const e of view.path) io.out.write(`${paint(io, 2, '✔')} ${shown(`${e.title} — ${e.outcome}`)}\n`);
    io.out.write(`${paint(io, 1, shown(`Now: ${view.current.title}`))} (${view.current.waitsFor})\n`);
    if (view.next.length) io.out.write(`Move on with: ${shown(view.next.join(' | '))}\n`);
    if (error) io.err.write(`lifeline: ${shown(error)}\n`);
  }
  return code;
}
