// Ids from headings: lower-case words joined by "-", as the playbook model requires, short
// enough to read, and unique where they must be. Pure.

/** "Scenario 3: Git Worktree Corruption" -> "scenario-3-git-worktree-corruption" ('' when no letters survive). */
function slugify(text: string, max = 48): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const dash = cut.lastIndexOf('-');
  return (dash >= 12 ? cut.slice(0, dash) : cut).replace(/-+$/, '');
}

/** Hands out ids unique within one scope, suffixing "-2", "-3" on collisions. */
export class IdPool {
  private readonly used = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.used.add(r);
  }

  take(text: string, fallback: string, max = 48): string {
    const base = slugify(text, max) || fallback;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

/** What a heading's Markdown anchor and a link's "#fragment" share: letters and digits only. */
export function anchorKey(text: string): string {
  let t = text.replace(/^#/, '');
  try {
    t = decodeURIComponent(t);
  } catch {
    // A stray "%" in a hand-written anchor: compare it as written.
  }
  return t
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}
