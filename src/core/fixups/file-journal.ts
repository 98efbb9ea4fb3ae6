// A journal kept as one JSON file per entry under config.journalDir, written atomically
// (temp file, then rename). It implements the `Journal` interface, so the database half's
// journal can replace it without touching a handler.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Journal, JournalEntry, WorkspaceContext } from './types';

const ID = /^\d{8}T\d{6}\d{3}Z-[0-9a-f]{6}$/;

export class FileJournal implements Journal {
  constructor(readonly dir: string) {}

  private file(id: string): string {
    if (!ID.test(id)) throw new Error(`not a journal entry id: ${JSON.stringify(id)}`);
    return join(this.dir, `${id}.json`);
  }

  private async write(entry: JournalEntry): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.file(entry.id);
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(entry, null, 2) + '\n', { flush: true });
    await rename(tmp, target);
  }

  async append(entry: Omit<JournalEntry, 'id' | 'time'>): Promise<JournalEntry> {
    const now = new Date();
    const id = `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
    const full: JournalEntry = { id, time: now.toISOString(), ...entry };
    await this.write(full);
    return full;
  }

  async list(): Promise<JournalEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: JournalEntry[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const id = name.slice(0, -'.json'.length);
      const entry = await this.get(id).catch(() => undefined);
      if (entry) out.push(entry);
    }
    return out;
  }

  async get(id: string): Promise<JournalEntry | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(id), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const v = JSON.parse(text) as JournalEntry;
    if (v.id !== id || typeof v.actionId !== 'string' || !v.undo) throw new Error(`journal entry ${id} is malformed`);
    return v;
  }

  async markUndone(id: string, time: string): Promise<void> {
    const entry = await this.get(id);
    if (!entry) throw new Error(`no journal entry ${id}`);
    await this.write({ ...entry, undone: time });
  }
}

export function openJournal(ws: WorkspaceContext): Journal {
  return new FileJournal(join(ws.root, ws.config.journalDir));
}
