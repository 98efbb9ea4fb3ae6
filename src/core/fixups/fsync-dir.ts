// Durable renames for every writer of our own files (the journal, the database's safe write):
// a rename is only on disk once its folder is fsynced.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** Makes a rename durable. Windows cannot open a directory for fsync; NTFS journals renames. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') throw e;
  } finally {
    await fh?.close();
  }
}
