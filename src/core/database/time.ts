// Times as orchestrators store them in SQLite: `YYYY-MM-DD HH:MM:SS` (datetime('now'), UTC),
// ISO 8601 with or without a zone, or Unix seconds/milliseconds.

/** Parses a stored time; naive date-times are UTC, as SQLite's datetime() writes them. */
export function parseDbTime(v: string | null): Date | null {
  if (v === null) return null;
  const t = v.trim();
  if (/^\d{9,13}(\.\d+)?$/.test(t)) {
    const n = Number(t);
    return new Date(n < 1e11 ? n * 1000 : n);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const ms = frac ? Math.round(Number(frac) * 1000) : 0;
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The form SQLite's datetime('now') writes, for values we store. */
export function formatDbTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** Compact UTC stamp for folder and file names: 20250101T120000123Z. */
export function fileStamp(d: Date): string {
  return d.toISOString().replace(/[-:.]/g, '');
}
