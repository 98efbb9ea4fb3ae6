// `lifeline playbooks list [--json] [--playbooks DIR]`: the playbooks Lifeline knows, built-ins
// merged with a user folder (theirs win by id). Grouped by category for people, a JSON array
// with stable fields for machines.
import { parseArgs } from 'node:util';
import { loadPlaybookDir } from '../../core/playbooks/loader';
import { formatError, mergePlaybooks } from '../../core/playbooks/collection';
import { SEVERITY_LEVELS } from '../../core/playbooks/model';
import type { FailureType, Playbook, Severity } from '../../core/playbooks/model';
import { builtInPlaybookDir } from '../paths';
import { EXIT, paint, usageError } from '../io';
import type { CliCommand, CliIO } from '../io';

/** One row of `--json`: the fields are part of the CLI's contract; add, never rename. */
export interface PlaybookListEntry {
  id: string;
  title: string;
  category: string;
  severity: number;
  failureType: FailureType;
  recoverable: boolean;
  source: string | null;
  /** `user` when it comes from --playbooks (overriding a built-in with the same id, if any). */
  origin: 'built-in' | 'user';
}

export function listEntries(builtIn: readonly Playbook[], user: readonly Playbook[]): PlaybookListEntry[] {
  const fromUser = new Set(user.map((p) => p.id));
  return mergePlaybooks(builtIn, user)
    .map((p) => ({
      id: p.id,
      title: p.title,
      category: p.category,
      severity: p.severity,
      failureType: p.failureType,
      recoverable: p.recoverable,
      source: p.source ?? null,
      origin: fromUser.has(p.id) ? ('user' as const) : ('built-in' as const),
    }))
    .sort((a, b) => a.category.localeCompare(b.category, 'en') || a.id.localeCompare(b.id, 'en'));
}

const SEVERITY_COLOUR: Record<number, number> = { 1: 2, 2: 36, 3: 33, 4: 31, 5: 35 };

function printTable(io: CliIO, entries: PlaybookListEntry[], builtInIds: ReadonlySet<string>): void {
  const idWidth = Math.max(2, ...entries.map((e) => e.id.length));
  const typeWidth = Math.max(...entries.map((e) => e.failureType.length));
  let category: string | undefined;
  for (const e of entries) {
    if (e.category !== category) {
      category = e.category;
      io.out.write(`${category === entries[0]!.category ? '' : '\n'}${paint(io, 1, category)}\n`);
    }
    const mark = e.origin === 'user' ? (builtInIds.has(e.id) ? ' (user, overrides built-in)' : ' (user)') : '';
    const level = SEVERITY_LEVELS[e.severity as Severity]?.name ?? '';
    const sev = paint(io, SEVERITY_COLOUR[e.severity] ?? 0, `S${e.severity} ${level.padEnd(12)}`);
    const who = e.recoverable ? 'auto ' : 'human';
    io.out.write(`  ${e.id.padEnd(idWidth)}  ${sev}  ${e.failureType.padEnd(typeWidth)}  ${who}  ${e.title}${paint(io, 2, mark)}\n`);
  }
  const users = entries.filter((e) => e.origin === 'user').length;
  io.out.write(`\n${entries.length} playbooks${users ? `, ${users} from the user folder` : ''}. auto = recoverable without a person; human = needs one.\n`);
}

export const playbooksList: CliCommand = {
  path: ['playbooks', 'list'],
  usage: 'lifeline playbooks list [--json] [--playbooks DIR]',
  summary: 'List the playbooks by category (built-ins, overridden by DIR\'s with the same id)',
  async run(args, io) {
    let values: { json?: boolean; playbooks?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { json: { type: 'boolean' }, playbooks: { type: 'string' } },
      }));
    } catch (e) {
      return usageError(io, (e as Error).message);
    }
    if (positionals.length) return usageError(io, `playbooks list takes no arguments (got "${positionals[0]}"); use --playbooks DIR`);
    if (values.playbooks === '') return usageError(io, '--playbooks needs a folder');

    const builtIn = await loadPlaybookDir(builtInPlaybookDir());
    let user: Playbook[] = [];
    const errors = [...builtIn.errors];
    if (values.playbooks !== undefined) {
      const dir = await loadPlaybookDir(values.playbooks);
      // An unreadable folder is bad input, not a list with problems.
      if (dir.errors.length === 1 && dir.playbooks.length === 0 && dir.errors[0]!.file === values.playbooks) {
        return usageError(io, `${values.playbooks}: ${dir.errors[0]!.message}`);
      }
      user = dir.playbooks;
      errors.push(...dir.errors);
    }
    for (const e of errors) io.err.write(`lifeline: ${formatError(e)}\n`);

    const entries = listEntries(builtIn.playbooks, user);
    if (values.json) io.out.write(JSON.stringify(entries, null, 2) + '\n');
    else printTable(io, entries, new Set(builtIn.playbooks.map((p) => p.id)));
    // Playbooks that failed to load are missing from the list: say so through the exit code.
    return errors.length ? EXIT.failure : EXIT.ok;
  },
};
