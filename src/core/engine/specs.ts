// Workstream specs (`workstreams/*.json` by default): each names a workstream and the ones it
// depends on. A file that is not valid JSON or has the wrong shape becomes a finding, never a
// crash, and its names are validated before anything uses them.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { workstreamIdProblem } from '../fixups/names';
import { containedPath, PathRefused } from '../fixups/contain';
import { MiB, readRegularFile } from '../fixups/read-file';
import { SCENARIO_FOR } from '../fixups/scenarios';
import type { Finding, WorkspaceContext } from '../fixups/types';

export interface WorkstreamSpec {
  id: string;
  dependsOn: string[];
  /** Path relative to the root, "/"-separated. */
  file: string;
}

export interface SpecScan {
  specs: WorkstreamSpec[];
  findings: Finding[];
}

/** A spec file is a few lines of JSON. */
const MAX_SPEC_BYTES = MiB;

/** Matches one path segment against a pattern where `*` stands for any run of characters. */
function segmentMatcher(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '[^/\\\\]*');
  return new RegExp(`^${body}$`);
}

function invalid(file: string, why: string): Finding {
  return {
    id: `invalid-spec:${file}`,
    kind: 'invalid-spec',
    subject: file,
    source: 'workstream-specs',
    scenario: SCENARIO_FOR['invalid-spec'],
    detail: `${file}: ${why}`,
    actions: [],
  };
}

/** Parses one spec file's text; returns the spec or why it is unusable. */
export function parseSpec(text: string, file: string): WorkstreamSpec | string {
  let v: unknown;
  try {
    v = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return `invalid JSON (${(e as Error).message})`;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'must be a JSON object';
  const o = v as Record<string, unknown>;
  const fromName = basename(file).replace(/\.json$/i, '');
  const rawId = o.id ?? o.workstream_id ?? fromName;
  if (typeof rawId !== 'string') return '"id" must be a string';
  const idProblem = workstreamIdProblem(rawId);
  if (idProblem) return `workstream id ${JSON.stringify(rawId)} ${idProblem}`;
  const deps = o.depends_on ?? [];
  if (!Array.isArray(deps) || deps.some((d) => typeof d !== 'string')) return '"depends_on" must be a list of workstream ids';
  for (const d of deps as string[]) {
    const p = workstreamIdProblem(d);
    if (p) return `depends_on entry ${JSON.stringify(d)} ${p}`;
  }
  return { id: rawId, dependsOn: [...new Set(deps as string[])], file };
}

/** The folder the specs glob names, resolved and kept inside the workspace; throws a one-line error. */
export function specsDir(root: string, specsGlob: string, options: { textOnly?: boolean } = {}): { dir: string; dirPart: string; matcher: RegExp } {
  const glob = specsGlob.replace(/\\/g, '/');
  const dirPart = dirname(glob);
  if (dirPart.includes('*')) throw new Error(`specsGlob "${glob}": only the file name may contain "*"`);
  return { dir: containedPath(root, dirPart, 'specsGlob folder', { allowRoot: true, ...options }), dirPart, matcher: segmentMatcher(basename(glob)) };
}

/** Reads every spec the configured glob names (only `*` in the last segment is special). */
export async function loadSpecs(ws: WorkspaceContext): Promise<SpecScan> {
  let where: ReturnType<typeof specsDir>;
  try {
    where = specsDir(ws.root, ws.config.specsGlob);
  } catch (e) {
    // The folder is a link out of the workspace: one finding, and the rest of the diagnosis goes on.
    if (e instanceof PathRefused) return { specs: [], findings: [invalid(ws.config.specsGlob, e.message)] };
    throw e;
  }
  const { dir, dirPart, matcher } = where;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => matcher.test(n)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return { specs: [], findings: [] };
    throw e;
  }
  const specs: WorkstreamSpec[] = [];
  const findings: Finding[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const rel = dirPart === '.' ? name : `${dirPart}/${name}`;
    let text: string;
    try {
      // A spec may be a symlink, but only to a file inside the workspace, and only a regular one.
      const path = containedPath(ws.root, join(dir, name), 'spec');
      if ((await stat(path)).isDirectory()) continue;
      const bytes = await readRegularFile(path, { what: 'spec', maxBytes: MAX_SPEC_BYTES });
      if (!bytes) continue;
      text = bytes.toString('utf8');
    } catch (e) {
      findings.push(invalid(rel, e instanceof PathRefused ? `not read: ${e.message}` : `cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`));
      continue;
    }
    const r = parseSpec(text, rel);
    if (typeof r === 'string') {
      findings.push(invalid(rel, r));
      continue;
    }
    const prev = seen.get(r.id);
    if (prev) {
      findings.push(invalid(rel, `workstream "${r.id}" is already specified in ${prev}`));
      continue;
    }
    seen.set(r.id, rel);
    specs.push(r);
  }
  return { specs, findings };
}
