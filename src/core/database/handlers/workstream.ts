// The workstream.* fix-ups: seed 001's UPDATE statements (mark failed / completed / pending /
// reverted, clear blocked_by), previewed with the rows they change and applied through the safe
// write. Values are bound as parameters; the preview shows them inlined for people to read.
import { FIXUP_ACTIONS } from '../../playbooks/model';
import type { FixupAction } from '../../playbooks/model';
import { FixupRefused } from '../../fixups/types';
import type { ActionTarget, ApplyOptions, ApplyResult, FixupHandler, Preview, WorkspaceContext } from '../../fixups/types';
import { withDatabase } from '../read';
import { quoteIdent, sqlLiteral } from '../rows';
import type { WorkstreamColumn } from '../rows';
import { openImage, queryRows } from '../sqljs';
import { formatDbTime } from '../time';
import { busyRefusal, journaledWrite, refused, storedPath, writeNotes } from './common';
import { stripControlChars } from '../text';

type Value = string | null;

interface Change {
  /** Column -> new value; columns the table lacks are skipped unless listed in `needs`. */
  set: Partial<Record<WorkstreamColumn, Value>>;
  needs: WorkstreamColumn[];
  /** A one-line reason when the change makes no sense for these rows. */
  pointless?: (rows: Record<string, unknown>[]) => string | undefined;
}

interface Spec {
  action: FixupAction;
  verb: string;
  change(message: string | undefined, now: Date): Change;
}

/** A message from the user: one paragraph, printable, bounded. */
export function cleanMessage(m: string | undefined): string | undefined {
  if (m === undefined) return undefined;
  const t = stripControlChars(m.replace(/\r\n?/g, '\n')).trim();
  if (t.length === 0) return undefined;
  return t.length > 2000 ? t.slice(0, 2000) : t;
}

const SPECS: readonly Spec[] = [
  {
    action: 'workstream.mark-failed',
    verb: 'marked failed',
    change: (m) => ({ set: { status: 'failed', error_message: m ?? 'Marked failed with Lifeline' }, needs: ['status'] }),
  },
  {
    action: 'workstream.mark-completed',
    verb: 'marked completed',
    change: (m, now) => ({ set: { status: 'completed', completed_at: formatDbTime(now), ...(m ? { notes: m } : {}) }, needs: ['status'] }),
  },
  {
    action: 'workstream.mark-pending',
    verb: 'reset to pending',
    change: (m) => ({ set: { status: 'pending', started_at: null, completed_at: null, ...(m ? { notes: m } : {}) }, needs: ['status'] }),
  },
  {
    action: 'workstream.mark-reverted',
    verb: 'marked reverted',
    change: (m) => ({ set: { status: 'reverted', error_message: m ?? 'Reverted with Lifeline: needs rework' }, needs: ['status'] }),
  },
  {
    action: 'workstream.unblock',
    verb: 'unblocked',
    change: () => ({
      set: { blocked_by: null },
      needs: ['blocked_by'],
      pointless: (rows) => (rows.every((r) => r.blocked_by === null || String(r.blocked_by).trim() === '') ? 'it has no blocked_by to clear' : undefined),
    }),
  },
];

interface Plan {
  title: string;
  /** Exact statement and parameters we run. */
  statement: string;
  params: Value[];
  /** The same statement with values inlined, for the preview. */
  display: string;
}

function plan(ws: WorkspaceContext, spec: Spec, subject: string, columns: readonly string[], change: Change): Plan {
  const table = quoteIdent(ws.config.table);
  const set = Object.entries(change.set).filter(([c]) => columns.includes(c)) as [WorkstreamColumn, Value][];
  const statement = `UPDATE ${table} SET ${set.map(([c]) => `${quoteIdent(c)} = ?`).join(', ')} WHERE ${quoteIdent('workstream_id')} = ?`;
  const params = [...set.map(([, v]) => v), subject];
  const display = `UPDATE ${table} SET ${set.map(([c, v]) => `${c} = ${sqlLiteral(v)}`).join(', ')} WHERE workstream_id = ${sqlLiteral(subject)}`;
  return { title: `${subject}: ${FIXUP_ACTIONS[spec.action].replace(/\.$/, '')}`, statement, params, display };
}

function selectRows(ws: WorkspaceContext): string {
  return `SELECT * FROM ${quoteIdent(ws.config.table)} WHERE ${quoteIdent('workstream_id')} = ?`;
}

/** JSON-safe copies of rows for previews (bigint as text, blobs as hex). */
function jsonRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v])),
  );
}

function handlerFor(spec: Spec): FixupHandler {
  const prepare = async (ws: WorkspaceContext, target: ActionTarget): Promise<Preview | { plan: Plan; rows: Record<string, unknown>[]; preview: Preview }> => {
    const title = FIXUP_ACTIONS[spec.action];
    const subject = target.subject;
    if (!subject) return refused(spec.action, title, `${spec.action} needs a workstream id, e.g. ${spec.action}:ws-15`, 'invalid');
    const change = spec.change(cleanMessage(target.params?.message), ws.now?.() ?? new Date());
    const read = await withDatabase(ws, (db, info) => {
      const before = jsonRows(queryRows(db, selectRows(ws), [subject]));
      if (before.length === 0 || change.needs.some((c) => !info.columns.includes(c))) return { before };
      // The statement runs on this in-memory copy (never written back), so the preview shows
      // the rows as SQLite itself leaves them, not as we expect them to be.
      const p = plan(ws, spec, subject, info.columns, change);
      db.run(p.statement, p.params);
      return { before, after: jsonRows(queryRows(db, selectRows(ws), [subject])) };
    });
    if (read.state === 'missing') return refused(spec.action, title, `there is no database at ${ws.config.database}`, 'invalid');
    if (read.state === 'unreadable') return refused(spec.action, title, `${ws.config.database} is not readable: ${read.reason}`, read.schema ? 'invalid' : 'unsafe');
    const lacking = change.needs.filter((c) => !read.columns.includes(c));
    if (lacking.length) return refused(spec.action, title, `table "${ws.config.table}" has no ${lacking.join(', ')} column`, 'invalid');
    const rows = read.result.before;
    if (rows.length === 0) return refused(spec.action, title, `no workstream ${JSON.stringify(subject)} in table "${ws.config.table}"`, 'invalid');
    const why = change.pointless?.(rows);
    if (why) return refused(spec.action, title, `${subject}: ${why}`, 'invalid');
    const p = plan(ws, spec, subject, read.columns, change);
    const busy = await busyRefusal(read.snapshot);
    const preview: Preview = {
      title: p.title,
      sql: [{ statement: p.display, rows, ...(read.result.after ? { after: read.result.after } : {}) }],
      files: [ws.config.database, `${ws.config.backupsDir}/`],
      notes: writeNotes(ws, read.snapshot),
      effect: 'reversible',
      ...(busy ? { refusal: busy } : {}),
    };
    return { plan: p, rows, preview };
  };

  return {
    action: spec.action,
    async preview(ws, target) {
      const r = await prepare(ws, target);
      return 'plan' in r ? r.preview : r;
    },
    async apply(ws: WorkspaceContext, target: ActionTarget, options: ApplyOptions): Promise<ApplyResult> {
      const r = await prepare(ws, target);
      if (!('plan' in r)) throw new FixupRefused(r.refusal?.reason ?? 'refused', r.refusal?.code ?? 'invalid');
      if (r.preview.refusal) throw new FixupRefused(r.preview.refusal.reason, r.preview.refusal.code);
      const confirmed = options.confirmed?.sql?.[0];
      if (confirmed && (confirmed.statement !== r.plan.display || JSON.stringify(confirmed.rows) !== JSON.stringify(r.rows))) {
        throw new FixupRefused(`${target.subject} changed since the preview; nothing was written, preview it again`, 'unsafe');
      }
      const { outcome, journalId } = await journaledWrite(ws, options, { actionId: `${spec.action}:${target.subject}`, title: r.plan.title }, {
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        build: async (snap) => {
          const db = await openImage(snap.image);
          try {
            // The rows as the write sees them must still be the rows the user confirmed.
            const now = jsonRows(queryRows(db, selectRows(ws), [target.subject!]));
            if (JSON.stringify(now) !== JSON.stringify(r.rows)) throw new FixupRefused(`${target.subject} changed while the fix-up ran; nothing was written`, 'unsafe');
            db.run(r.plan.statement, r.plan.params);
            const changed = db.getRowsModified();
            if (changed !== r.rows.length) throw new FixupRefused(`the update touched ${changed} rows, expected ${r.rows.length}; nothing was written`, 'unsafe');
            return db.export();
          } finally {
            db.close();
          }
        },
      });
      return {
        ok: true,
        message: `${target.subject} ${spec.verb} (backup in ${storedPath(ws, outcome.backupDir)})`,
        output: [r.plan.display, ...(outcome.folded ? [`folded ${outcome.folded} committed WAL frames into the database`] : [])],
        journalId,
      };
    },
  };
}

export const workstreamHandlers: FixupHandler[] = SPECS.map(handlerFor);
