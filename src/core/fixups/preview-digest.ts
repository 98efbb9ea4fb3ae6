// A short digest of what a preview says a fix-up will do (its title, effect, git argv, SQL with
// the rows before and after, files, discards, refusal), so a plan reviewed in one process
// (`lifeline fix ID --dry-run`) can be applied in another only if it is still exactly that
// (`--yes --expect DIGEST`). Times in backup names (taken from each run's clock) and the prose
// notes are left out: they differ between runs without the plan differing. Pure.
import { createHash } from 'node:crypto';
import type { Preview } from './types';

/** A backup ref or folder stamp: 20261202T103537Z, 20261202T103537972Z. */
const STAMP = /\b\d{8}T\d{6}(?:\d{3})?Z\b/g;

function stable(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(STAMP, '<time>');
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stable(v)]));
  return value;
}

export function previewDigest(p: Preview): string {
  const plan = { title: p.title, effect: p.effect, git: p.git ?? [], sql: p.sql ?? [], files: p.files ?? [], discards: p.discards ?? null, refusal: p.refusal?.reason ?? null };
  return createHash('sha256').update(JSON.stringify(stable(plan))).digest('hex').slice(0, 16);
}
