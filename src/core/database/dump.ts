// An SQL dump of the whole database, in the spirit of `sqlite3 .dump` (seed 001's escalation:
// "capture database state"): schema, every row as an INSERT, then indexes, triggers and views,
// in one transaction that a fresh database can replay.
import type { Database } from 'sql.js';
import { quoteIdent, sqlLiteral } from './rows';
import { queryRows } from './sqljs';

export interface Dump {
  sql: string;
  tables: number;
  rows: number;
}

export function dumpSql(db: Database): Dump {
  const out: string[] = ['PRAGMA foreign_keys=OFF;', 'BEGIN TRANSACTION;'];
  const schema = queryRows(db, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid");
  let tables = 0;
  let rows = 0;
  for (const t of schema.filter((s) => s.type === 'table')) {
    const name = String(t.name);
    const sql = String(t.sql);
    if (name.startsWith('sqlite_stat')) continue; // statistics: rebuilt by ANALYZE
    if (name === 'sqlite_sequence') {
      out.push('DELETE FROM sqlite_sequence;');
    } else {
      out.push(`${sql};`);
      tables++;
      // A virtual table's data lives in its shadow tables, dumped as tables of their own.
      if (/^CREATE\s+VIRTUAL\s+TABLE/i.test(sql)) continue;
    }
    for (const row of queryRows(db, `SELECT * FROM ${quoteIdent(name)}`)) {
      out.push(`INSERT INTO ${quoteIdent(name)} VALUES(${Object.values(row).map(sqlLiteral).join(',')});`);
      rows++;
    }
  }
  for (const s of schema.filter((x) => x.type !== 'table')) {
    if (String(s.name).startsWith('sqlite_autoindex')) continue;
    out.push(`${String(s.sql)};`);
  }
  out.push('COMMIT;');
  return { sql: out.join('\n') + '\n', tables, rows };
}
