// The fix-up journal: one JSON file per fix-up under config.journalDir, each written atomically
// (temp file, fsync, rename, fsync of the folder), so a crash never leaves half an entry and two
// Lifeline processes never interleave. A change is journaled first: an intent entry before the
// change, committed after it, so a kill at any point leaves an entry that says what may have
// happened. Entries are validated when read: a damaged file is reported by name, never trusted
// (its paths and refs would reach git and the file system on undo); undo operations are typed
// data with ref names checked by git's rules, never argv.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import * as z from 'zod/mini';
import { fsyncDir } from './fsync-dir';
import { refNameProblem, workstreamIdProblem } from './names';
import { containedPath, hasControlChars } from './contain';
import { MiB, readRegularFile } from './read-file';
import { currentOwner, ownerState } from './process-owner';
import { FixupRefused } from './types';
import type { Journal, JournalEntry, UndoRecipe, WorkspaceContext } from './types';
import { plural } from '../text/strings';

/** `20250101T120000123Z-a1b2c3`: sorts by time, unique across processes. */
const ID = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/;

/** An entry is a few KiB; anything far larger is not one we wrote. */
const MAX_ENTRY_BYTES = 4 * MiB;

const argv = z.array(z.string());
const sha = z.string().check(z.regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'must be a full object id'));
const noControl = (v: string) => !hasControlChars(v);
/** A ref name by git's rules, no part of which could read as an option. */
const validRef = (v: string) => refNameProblem(v) === undefined && !v.split('/').some((part) => part.startsWith('-'));
/** Refs an undo may touch: branches and Lifeline's own backup refs. */
const ref = z.string().check(
  z.refine(validRef, 'is not a valid ref name'),
  z.refine((v) => v.startsWith('refs/heads/') || v.startsWith('refs/lifeline/'), 'must be a branch or a refs/lifeline/ ref'),
);
const branchRef = z.string().check(z.refine((v) => validRef(v) && v.startsWith('refs/heads/'), 'must be a valid branch ref (refs/heads/...)'));
const lifelineRef = z.string().check(z.refine((v) => validRef(v) && v.startsWith('refs/lifeline/'), 'must be a valid refs/lifeline/ ref'));
const branch = z.string().check(z.refine((v) => validRef(v) && !v.startsWith('refs/'), 'is not a valid branch name'));
/** Workspace-relative, `/`-separated, never leaving the root by name (symlinks are checked on undo): a backup's path. */
const relPath = z.string().check(
  z.refine((v) => v.length > 0 && v.length < 4096 && noControl(v), 'must be a non-empty path without control characters'),
  z.refine((v) => !v.startsWith('/') && !v.includes('\\') && !/^[A-Za-z]:/.test(v), 'must be relative to the workspace'),
  z.refine((v) => v.split('/').every((part) => part !== '..' && part !== ''), 'must not contain ".." or empty parts'),
);
/**
 * A worktree's path: workspace-relative, `/`-separated, never leaving the root by name (symlinks
 * are checked on undo); or absolute for a worktree in an agent tool's folder outside the workspace
 * (./tool-worktrees.ts; undo accepts it only there).
 */
const worktreePath = z.string().check(
  z.refine((v) => v.length > 0 && v.length < 4096 && noControl(v), 'must be a non-empty path without control characters'),
  z.refine((v) => isAbsolute(v) || (!v.startsWith('/') && !v.includes('\\') && !/^[A-Za-z]:/.test(v)), 'must be relative to the workspace (or absolute, in an agent tool\'s worktrees folder)'),
  z.refine((v) => (isAbsolute(v) ? v.split(/[\\/]/).every((part) => part !== '..') : v.split('/').every((part) => part !== '..' && part !== '')), 'must not contain ".." or empty parts'),
);
const sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'));
const GitUndoOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('restore-ref'), ref, sha }),
  z.object({ op: z.literal('delete-ref'), ref: branchRef, expect: z.optional(sha) }),
  z.object({ op: z.literal('reset-branch'), worktree: worktreePath, ref: branchRef, to: sha, expect: z.optional(sha), mode: z.enum(['mixed', 'keep']) }),
  z.object({ op: z.literal('recreate-worktree'), path: worktreePath, branch: z.nullable(branch), sha }),
  z.object({ op: z.literal('apply-stash'), worktree: worktreePath, ref: lifelineRef }),
  z.object({ op: z.literal('lock-worktree'), path: worktreePath, reason: z.nullable(z.string().check(z.refine((v) => v.length < 1000 && noControl(v), 'must be one short line'))) }),
]);
const UndoSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('restore-db'),
    backup: z.string(),
    walBackup: z.optional(z.string()),
    expectedSha256: sha256,
    originalSha256: z.optional(sha256),
    foldedSha256: z.optional(sha256),
  }),
  z.object({
    kind: z.literal('restore-tool-db'),
    tool: z.literal('vibe-kanban'),
    backup: relPath,
    expectedSha256: sha256,
    originalSha256: z.optional(sha256),
  }),
  z.object({ kind: z.literal('git-ops'), ops: z.array(GitUndoOpSchema), description: z.string() }),
  z.object({
    kind: z.literal('claude-squad-pause'),
    title: z.string().check(z.refine((v) => workstreamIdProblem(v) === undefined, 'must be a valid session title')),
    backup: relPath,
    originalSha256: sha256,
    expectedSha256: z.optional(sha256),
    // Only what a pause takes back: its worktree, and its one commit.
    ops: z.array(GitUndoOpSchema).check(z.refine((ops) => ops.every((o) => o.op === 'recreate-worktree' || o.op === 'reset-branch'), 'may only re-create a worktree or take back a commit')),
    description: z.string(),
  }),
  // The old format, kept readable so it can be listed and refused by name; never executed.
  z.object({
    kind: z.literal('git'),
    steps: z.array(argv),
    description: z.string(),
    cwd: z.optional(z.string()),
    expect: z.optional(z.array(z.object({ ref: z.string(), sha: z.nullable(z.string()) }))),
  }),
  z.object({ kind: z.literal('none'), reason: z.string() }),
]);

const owner = z.object({ pid: z.number().check(z.int(), z.positive()), start: z.nullable(z.string()) });
const EntrySchema = z.object({
  id: z.string().check(z.regex(ID)),
  time: z.string(),
  actionId: z.string(),
  title: z.string(),
  undo: UndoSchema,
  undone: z.optional(z.string()),
  state: z.optional(z.enum(['intent', 'done', 'abandoned'])),
  owner: z.optional(owner),
  undoing: z.optional(z.object({ time: z.string(), done: z.number().check(z.int(), z.nonnegative()), owner })),
  undoOf: z.optional(z.string().check(z.regex(ID))),
});

export function newEntryId(now: Date): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}

export interface JournalScan {
  entries: JournalEntry[];
  /** One line per file that is not a valid entry. */
  problems: string[];
}

export class DirectoryJournal implements Journal {
  constructor(
    readonly dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private file(id: string): string {
    if (!ID.test(id)) throw new Error(`not a journal entry id: ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.json`);
  }

  /** A write failure as one line that says nothing was changed (every write comes before the change it records). */
  private refusal(e: unknown): FixupRefused {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way of the folder' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'the folder is not writable' : 'the write failed';
    return new FixupRefused(`cannot write the journal in ${this.dir} (${code}: ${why}); nothing was changed`, 'unsafe');
  }

  private async write(entry: JournalEntry): Promise<void> {
    const checked = EntrySchema.safeParse(entry);
    if (!checked.success) throw new Error(`refusing to journal a malformed entry for ${entry.actionId}: ${checked.error.issues[0]?.message ?? 'invalid'}`);
    const target = this.file(entry.id);
    const tmp = `${target}.${process.pid}-${randomBytes(3).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      const fh = await open(tmp, 'wx');
      try {
        await fh.writeFile(JSON.stringify(entry, null, 2) + '\n');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, target);
      await fsyncDir(this.dir);
    } catch (e) {
      throw this.refusal(e);
    } finally {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /** Checks, creating nothing, that entries can be written: the folder (or its nearest existing parent) is a writable folder. */
  async preflight(): Promise<void> {
    let dir = this.dir;
    for (;;) {
      let st;
      try {
        st = await stat(dir);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' || dirname(dir) === dir) throw this.refusal(e);
        dir = dirname(dir);
        continue;
      }
      if (!st.isDirectory()) throw this.refusal(Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }));
      try {
        await access(dir, constants.W_OK | constants.X_OK);
      } catch (e) {
        throw this.refusal(e);
      }
      return;
    }
  }

  private fresh(entry: Omit<JournalEntry, 'id' | 'time'>): JournalEntry {
    const now = this.now();
    return { id: newEntryId(now), time: now.toISOString(), ...entry } as JournalEntry;
  }

  async append(entry: Omit<JournalEntry, 'id' | 'time'>): Promise<JournalEntry> {
    const full = this.fresh(entry);
    await this.write(full);
    return full;
  }

  async begin(entry: Omit<JournalEntry, 'id' | 'time' | 'state' | 'owner'>): Promise<JournalEntry> {
    const full = this.fresh({ ...entry, state: 'intent', owner: currentOwner() });
    await this.write(full);
    return full;
  }

  private async existing(id: string): Promise<JournalEntry> {
    const entry = await this.get(id);
    if (!entry) throw new Error(`no journal entry ${id}`);
    return entry;
  }

  async commit(id: string, undo?: UndoRecipe): Promise<JournalEntry> {
    const { owner: _owner, ...entry } = await this.existing(id);
    const done: JournalEntry = { ...entry, ...(undo ? { undo } : {}), state: 'done' };
    await this.write(done);
    return done;
  }

  async abandon(id: string): Promise<void> {
    const { owner: _owner, undoing: _undoing, ...entry } = await this.existing(id);
    await this.write({ ...entry, state: 'abandoned' });
  }

  async markUndoing(id: string, done: number): Promise<void> {
    const entry = await this.existing(id);
    await this.write({ ...entry, undoing: { time: entry.undoing?.time ?? this.now().toISOString(), done, owner: currentOwner() } });
  }

  /** Every valid entry, oldest first, and what is wrong with the files that are not. */
  async scan(): Promise<JournalScan> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], problems: [] };
      throw e;
    }
    const entries: JournalEntry[] = [];
    const problems: string[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const id = name.slice(0, -'.json'.length);
      if (!ID.test(id)) {
        problems.push(`${name}: not a journal entry name`);
        continue;
      }
      try {
        const e = await this.get(id);
        if (e) entries.push(e);
      } catch (err) {
        problems.push(`${name}: ${(err as Error).message}`);
      }
    }
    return { entries, problems };
  }

  async list(): Promise<JournalEntry[]> {
    return (await this.scan()).entries;
  }

  async get(id: string): Promise<JournalEntry | undefined> {
    // Only a regular file inside the journal folder: a FIFO would block, a link could lead anywhere.
    const bytes = await readRegularFile(containedPath(this.dir, this.file(id), 'journal entry'), { what: 'journal entry', maxBytes: MAX_ENTRY_BYTES });
    if (!bytes) return undefined;
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`journal entry ${id} is not valid JSON`);
    }
    const parsed = EntrySchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FixupRefused(`journal entry ${id} is malformed (${issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'invalid'}); it is not trusted and nothing was run`, 'unsafe');
    }
    if (parsed.data.id !== id) throw new FixupRefused(`journal entry ${id} names itself ${parsed.data.id}; it is not trusted`, 'unsafe');
    return parsed.data as JournalEntry;
  }

  async markUndone(id: string, time: string): Promise<void> {
    const { undoing: _undoing, ...entry } = await this.existing(id);
    if (entry.undone) throw new Error(`journal entry ${id} was already undone at ${entry.undone}`);
    await this.write({ ...entry, undone: time });
  }
}

/** The workspace's journal (config.journalDir under the root). */
export function openJournal(ws: WorkspaceContext): DirectoryJournal {
  return new DirectoryJournal(containedPath(ws.root, ws.config.journalDir, 'journal'), ws.now ?? (() => new Date()));
}

export type EntryStatus = 'undoable' | 'undone' | 'no-undo' | 'in-progress' | 'interrupted' | 'undo-interrupted' | 'abandoned' | 'old-format' | 'undo';

/** Where an entry stands, and one line a person reads (the CLI's `journal`, the editor). */
export function entryStatus(e: JournalEntry): { status: EntryStatus; line: string } {
  if (e.undone) return { status: 'undone', line: `undone ${e.undone}` };
  if (e.state === 'abandoned') return { status: 'abandoned', line: 'settled: the change never happened' };
  if (e.state === 'intent') {
    if (e.owner && ownerState(e.owner) === 'alive') return { status: 'in-progress', line: `in progress (pid ${e.owner.pid})` };
    return {
      status: 'interrupted',
      line: e.undoOf
        ? `interrupted undo of ${e.undoOf}: lifeline undo ${e.undoOf} finishes or settles it`
        : `interrupted: intent recorded, the change may or may not have happened; lifeline undo ${e.id} undoes what did`,
    };
  }
  if (e.undoing) return { status: 'undo-interrupted', line: `undo interrupted after ${plural(e.undoing.done, 'step')}: lifeline undo ${e.id} finishes it` };
  if (e.undoOf) return { status: 'undo', line: `undo of ${e.undoOf}` };
  if (e.undo.kind === 'none') return { status: 'no-undo', line: 'no undo' };
  if (e.undo.kind === 'git') return { status: 'old-format', line: 'raw git commands (older Lifeline): undo by hand' };
  return { status: 'undoable', line: 'undoable' };
}
