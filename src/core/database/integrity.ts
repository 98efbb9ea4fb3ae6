// The read-only integrity check: PRAGMA integrity_check on the image SQLite would read (committed
// WAL frames applied, a hot journal rolled back), never on the file itself. The db.integrity-check
// fix-up and the engine's preflight both ask it; neither journals anything, as nothing changes.
import type { WorkspaceContext } from '../fixups/types';
import type { Snapshot } from './snapshot';
import { openImage, queryRows } from './sqljs';
import { plural } from '../text/strings';

/** The WAL in one line, for previews and results. */
export function walSummary(snap: Snapshot): string {
  const s = snap.walScan;
  if (!s) return 'no WAL';
  if (!s.header) return `WAL unusable (${s.problem ?? 'empty'})`;
  const tail = s.framesPresent - s.committedFrames;
  return `${plural(s.committedFrames, 'committed frame')} in ${plural(s.transactions, 'transaction')}, ${plural(snap.walPending, 'page')} not yet in the main file${tail ? `, ${plural(tail, 'frame')} after the last commit that SQLite would ignore too` : ''}`;
}

export interface IntegrityResult {
  ok: boolean;
  /** One line. */
  message: string;
  /** integrity_check's own lines (at most 50) and a note on an ignored WAL. */
  output: string[];
}

/** integrity_check over a snapshot that holds a database (the caller says what a missing file means). */
export async function checkIntegrity(ws: WorkspaceContext, snap: Snapshot): Promise<IntegrityResult> {
  if (typeof snap.header === 'string') return { ok: false, message: `${ws.config.database} is not a readable database: ${snap.header}`, output: [] };
  let db;
  try {
    db = await openImage(snap.image);
  } catch (e) {
    return { ok: false, message: `${ws.config.database} cannot be opened: ${(e as Error).message.split('\n')[0]}`, output: [] };
  }
  try {
    const lines = queryRows(db, 'PRAGMA integrity_check').map((r) => String(Object.values(r)[0]));
    const walNote = snap.walScan?.problem ? [`WAL ignored: ${snap.walScan.problem}`] : [];
    if (lines.length === 1 && lines[0] === 'ok') return { ok: true, message: `integrity_check: ok (${walSummary(snap)})`, output: walNote };
    return { ok: false, message: `integrity_check found ${plural(lines.length, 'problem')}: ${lines[0]}`, output: [...lines.slice(0, 50), ...walNote] };
  } catch (e) {
    return { ok: false, message: `integrity_check failed: ${(e as Error).message.split('\n')[0]}`, output: [] };
  } finally {
    db.close();
  }
}
