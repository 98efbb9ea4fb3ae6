// The fix-up journal: one JSON file per applied fix-up under config.journalDir, each written
// atomically (temp file, fsync, rename), so a crash never leaves half an entry and two Lifeline
// processes never interleave. Entries are validated when read: a damaged file is reported by
// name, never trusted (its paths would reach the file system on undo).
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { containedPath } from '../paths/contain';
import { MiB, readRegularFile } from '../paths/read-file';
import type { Journal, JournalEntry, WorkspaceContext } from './types';

/** `20250101T120000123Z-a1b2c3`: sorts by time, unique across processes. */
const ID = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/;

/** An entry is a few KiB; anything far larger is not one we wrote. */
const MAX_ENTRY_BYTES = 4 * MiB;

const argv = z.array(z.string());
const UndoSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('restore-db'), backup: z.string(), walBackup: z.optional(z.string()), expectedSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest')) }),
  z.object({
    kind: z.literal('git'),
    steps: z.array(argv),
    description: z.string(),
    cwd: z.optional(z.string()),
    expect: z.optional(z.array(z.object({ ref: z.string(), sha: z.nullable(z.string()) }))),
  }),
  z.object({ kind: z.literal('none'), reason: z.string() }),
]);

const EntrySchema = z.object({
  id: z.string().check(z.regex(ID)),
  time: z.string(),
  actionId: z.string(),
  title: z.string(),
  undo: UndoSchema,
  undone: z.optional(z.string()),
  undoes: z.optional(z.string().check(z.regex(ID))),
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

  private async write(entry: JournalEntry): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.file(entry.id);
    const tmp = `${target}.${process.pid}-${randomBytes(3).toString('hex')}.tmp`;
    try {
      const fh = await open(tmp, 'wx');
      try {
        await fh.writeFile(JSON.stringify(entry, null, 2) + '\n');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, target);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async append(entry: Omit<JournalEntry, 'id' | 'time'>): Promise<JournalEntry> {
    const now = this.now();
    const full = { id: newEntryId(now), time: now.toISOString(), ...entry } as JournalEntry;
    const checked = EntrySchema.safeParse(full);
    if (!checked.success) throw new Error(`refusing to journal a malformed entry for ${entry.actionId}: ${checked.error.issues[0]?.message ?? 'invalid'}`);
    await this.write(full);
    return full;
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
      throw new Error(`journal entry ${id} is malformed (${issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'invalid'})`);
    }
    if (parsed.data.id !== id) throw new Error(`journal entry ${id} names itself ${parsed.data.id}`);
    return parsed.data as JournalEntry;
  }

  async markUndone(id: string, time: string): Promise<void> {
    const entry = await this.get(id);
    if (!entry) throw new Error(`no journal entry ${id}`);
    if (entry.undone) throw new Error(`journal entry ${id} was already undone at ${entry.undone}`);
    await this.write({ ...entry, undone: time });
  }
}

/** The workspace's journal (config.journalDir under the root). */
export function openJournal(ws: WorkspaceContext): DirectoryJournal {
  return new DirectoryJournal(containedPath(ws.root, ws.config.journalDir, 'journal'), ws.now ?? (() => new Date()));
}
