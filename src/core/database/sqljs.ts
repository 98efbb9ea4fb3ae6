// sql.js, loaded at first use (activation stays cheap) with its wasm found beside the bundle
// (dist/sql-wasm.wasm, copied by esbuild.mjs) or in node_modules when running from source.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { setJournalModeBytes } from './file-format';

const WASM = 'sql-wasm.wasm';

/** Where the wasm is: beside the bundle, else the nearest node_modules/sql.js/dist above us. */
export function locateSqlWasm(from: string = __dirname): string {
  const beside = join(from, WASM);
  if (existsSync(beside)) return beside;
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'sql.js', 'dist', WASM);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`cannot find ${WASM} beside ${from} or in node_modules/sql.js/dist`);
}

let loading: Promise<SqlJsStatic> | undefined;

export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= (async () => {
    const bytes = await readFile(locateSqlWasm());
    const { default: init } = await import('sql.js');
    return init({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
  })();
  // A failed load (missing wasm) is retried next time rather than cached.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/**
 * Opens a copy of an image in sql.js. The copy is marked rollback-journal mode: the image already
 * has the WAL folded in, and sql.js's in-memory file system has no shared memory for WAL.
 */
export async function openImage(image: Uint8Array): Promise<Database> {
  const SQL = await loadSqlJs();
  const copy = new Uint8Array(image);
  setJournalModeBytes(copy, 1);
  return new SQL.Database(copy);
}

/** A statement's rows as objects, integers as bigint when they do not fit a double exactly. */
export function queryRows(db: Database, sql: string, params: (string | number | null)[] = []): Record<string, unknown>[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const cols = stmt.getColumnNames();
    const out: Record<string, unknown>[] = [];
    // `useBigInt` exists at runtime (sql.js >= 1.8) but not in @types/sql.js.
    const get = stmt.get.bind(stmt) as (p: null, o: { useBigInt: boolean }) => unknown[];
    while (stmt.step()) {
      const values = get(null, { useBigInt: true });
      const row: Record<string, unknown> = {};
      cols.forEach((c, i) => {
        const v = values[i];
        row[c] = typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      });
      out.push(row);
    }
    return out;
  } finally {
    stmt.free();
  }
}
