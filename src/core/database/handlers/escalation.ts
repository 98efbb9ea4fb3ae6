// db.dump and logs.bundle: seed 001's escalation ("capture database state", "collect logs"),
// written beside the database under escalation/ so the user can attach them to an issue.
// Read-only towards the database; the files they write are new: a name that exists already is
// never overwritten (the temp file is hard-linked into place, which fails when the name is taken).
import { link, lstat, mkdir, readdir, rm, open } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { FIXUP_ACTIONS } from '../../playbooks/model';
import { FixupRefused } from '../../fixups/types';
import type { ApplyResult, FixupHandler, WorkspaceContext } from '../../fixups/types';
import { dumpSql } from '../dump';
import type { Dump } from '../dump';
import { containedPath, displayPath } from '../../fixups/contain';
import { databasePath, escalationDir } from '../locations';
import { readSnapshot } from '../snapshot';
import { openImage } from '../sqljs';
import { writeTarGz } from '../tar';
import type { TarSource } from '../tar';
import { fileStamp } from '../time';
import { refused } from './common';
import { plural } from '../../text/strings';

function stamp(ws: WorkspaceContext): string {
  return fileStamp(ws.now?.() ?? new Date());
}

/** The dump of the database as SQLite would read it, or a one-line reason it cannot be made. */
export async function dumpDatabase(ws: WorkspaceContext): Promise<Dump | string> {
  let snap;
  try {
    snap = await readSnapshot(databasePath(ws));
  } catch (e) {
    return (e as Error).message;
  }
  if (!snap.db && !snap.walScan?.committedFrames) return `there is no database at ${ws.config.database}`;
  if (typeof snap.header === 'string') return `${ws.config.database} is not readable: ${snap.header}`;
  try {
    const db = await openImage(snap.image);
    try {
      return dumpSql(db);
    } finally {
      db.close();
    }
  } catch (e) {
    return `${ws.config.database} cannot be dumped: ${(e as Error).message.split('\n')[0]}`;
  }
}

/** Puts a finished temp file at `target`, refusing to replace an existing file. */
async function publish(tmp: string, target: string): Promise<void> {
  try {
    await link(tmp, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new FixupRefused(`${target} exists already; try again in a moment`, 'invalid');
    throw e;
  }
}

async function writeNew(target: string, text: string): Promise<void> {
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await publish(tmp, target);
  } finally {
    await rm(tmp, { force: true });
  }
}

const dump: FixupHandler = {
  action: 'db.dump',
  async preview(ws) {
    const file = join(escalationDir(ws), `state_dump_${stamp(ws)}.sql`);
    return {
      title: `Dump ${ws.config.database} to SQL`,
      files: [displayPath(ws.root, file)],
      notes: ['Read-only towards the database: the dump includes the committed WAL frames.', 'Attach the file when you escalate: it is the database state the person you hand over to needs.'],
      effect: 'read-only',
    };
  },
  async apply(ws): Promise<ApplyResult> {
    const d = await dumpDatabase(ws);
    if (typeof d === 'string') throw new FixupRefused(d, 'invalid');
    const dir = escalationDir(ws);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `state_dump_${stamp(ws)}.sql`);
    await writeNew(file, d.sql);
    return { ok: true, message: `dumped ${plural(d.tables, 'table')}, ${plural(d.rows, 'row')} to ${displayPath(ws.root, file)}` };
  },
};

interface LogFiles {
  files: { abs: string; name: string; size: number; mtime: Date }[];
  skipped: string[];
}

/** Regular files under the logs folder; links and special files are listed as skipped, never followed. */
async function collectLogs(ws: WorkspaceContext): Promise<LogFiles> {
  const root = containedPath(ws.root, ws.config.logsDir, 'logs');
  const out: LogFiles = { files: [], skipped: [] };
  const walk = async (dir: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const name of names) {
      const abs = join(dir, name);
      const st = await lstat(abs);
      const rel = relative(root, abs).split(sep).join('/');
      if (st.isDirectory()) await walk(abs);
      else if (st.isFile()) out.files.push({ abs, name: `logs/${rel}`, size: st.size, mtime: st.mtime });
      else out.skipped.push(rel);
    }
  };
  await walk(root);
  return out;
}

const bundle: FixupHandler = {
  action: 'logs.bundle',
  async preview(ws) {
    const title = FIXUP_ACTIONS['logs.bundle'];
    let logs: LogFiles;
    try {
      logs = await collectLogs(ws);
    } catch (e) {
      return refused('logs.bundle', title, (e as Error).message, 'invalid');
    }
    const file = join(escalationDir(ws), `logs_${stamp(ws)}.tar.gz`);
    const bytes = logs.files.reduce((n, f) => n + f.size, 0);
    return {
      title: `Bundle ${ws.config.logsDir}/ and the state dump`,
      files: [displayPath(ws.root, file)],
      notes: [
        `${plural(logs.files.length, 'file')} from ${ws.config.logsDir}/ (${bytes} bytes) plus state_dump.sql, gzip-compressed.`,
        ...(logs.skipped.length ? [`Skipped (links or special files, never followed): ${logs.skipped.slice(0, 5).join(', ')}${logs.skipped.length > 5 ? ', ...' : ''}.`] : []),
        'Read-only: nothing in the workspace changes besides the new file.',
      ],
      effect: 'read-only',
    };
  },
  async apply(ws): Promise<ApplyResult> {
    const logs = await collectLogs(ws);
    const d = await dumpDatabase(ws);
    const now = ws.now?.() ?? new Date();
    const sources: TarSource[] = [
      typeof d === 'string'
        ? { name: 'state_dump.ERROR.txt', mtime: now, bytes: Buffer.from(`No state dump: ${d}\n`) }
        : { name: 'state_dump.sql', mtime: now, bytes: Buffer.from(d.sql) },
      ...logs.files.map((f) => ({ name: f.name, mtime: f.mtime, file: f.abs, size: f.size })),
    ];
    const dir = escalationDir(ws);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `logs_${stamp(ws)}.tar.gz`);
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeTarGz(tmp, sources);
      await publish(tmp, file);
    } finally {
      await rm(tmp, { force: true });
    }
    return {
      ok: true,
      message: `bundled ${plural(logs.files.length, 'log file')} and ${typeof d === 'string' ? 'no state dump' : 'the state dump'} into ${displayPath(ws.root, file)}`,
      output: [...(typeof d === 'string' ? [`state dump skipped: ${d}`] : []), ...logs.skipped.map((s) => `skipped ${s} (not a regular file)`)],
    };
  },
};

export const escalationHandlers: FixupHandler[] = [dump, bundle];
