// A case-insensitive (for ASCII letters) Aho-Corasick automaton over UTF-8 bytes: finds every
// occurrence of many literals in one left-to-right pass, as a dense DFA table so the hot loop
// is one array read and one comparison per byte. Non-ASCII bytes match exactly.
//
// Layout, chosen by measurement (node --cpu-prof and CPU time on the bench's logs): the table is
// indexed by `(state << 8) | byte` directly, 16-bit, so no byte-class lookup or shift width sits in
// the loop; and states are numbered so that every state where a pattern ends, and the control
// state, come last: `next >= firstMarked` is the only test a plain byte costs. A byte-class table
// (a few dozen columns) was smaller but about 1.5x slower: the extra dependent load per byte cost
// more than the cache misses it saved, since log text keeps to few hot states.

export class AhoCorasick {
  /** The transition table: `table[(state << 8) | byte]` is the next state. Row 0 is the root. */
  readonly table: Uint16Array | Int32Array;
  /** States numbered from here on need attention: a pattern ends there, or it is the control state. */
  readonly firstMarked: number;
  /** For each state, the ids of the patterns ending there (own and via suffix links). */
  readonly outputs: (readonly number[] | undefined)[];
  /** Every state steps here on a control byte (see the constructor); it then behaves like the root. */
  readonly controlState: number;
  /** Number of states. */
  readonly size: number;

  /**
   * `patterns[i]` is matched ASCII-case-insensitively; a hit reports `i`. The `controls` bytes
   * (which no pattern may contain) lead from every state to `controlState`, so the caller learns
   * of them from the same test as of a hit instead of comparing every byte.
   */
  constructor(patterns: readonly string[], controls: readonly number[] = []) {
    const encoder = new TextEncoder();
    const encoded = patterns.map((p) => encoder.encode(p.toLowerCase()).map((b) => FOLD[b]!));
    for (const bytes of encoded) for (const b of bytes) if (controls.includes(b)) throw new Error(`control byte ${b} occurs in a pattern`);

    // The trie, with folded bytes as edges: `goto[s * 256 + b]` (0: no edge; the root is no child).
    let states = 1;
    let goto = new Int32Array(256 * 64);
    const own: number[][] = [[]];
    encoded.forEach((bytes, id) => {
      let s = 0;
      for (const b of bytes) {
        let next = goto[s * 256 + b]!;
        if (next === 0) {
          next = states++;
          own.push([]);
          if (states * 256 > goto.length) {
            const grown = new Int32Array(goto.length * 2);
            grown.set(goto);
            goto = grown;
          }
          goto[s * 256 + b] = next;
        }
        s = next;
      }
      own[s]!.push(id);
    });
    if (own[0]!.length) throw new Error('an empty pattern matches everywhere');
    const n = states + (controls.length ? 1 : 0);
    const control = controls.length ? n - 1 : -1;

    // Transitions on the bytes the patterns use (folded), breadth-first so a state's failure row
    // is complete before its children need it. Every other byte leads to the root from anywhere.
    const used = [...new Set(encoded.flatMap((bytes) => [...bytes]))];
    const delta = new Int32Array(n * 256);
    const fail = new Int32Array(n);
    const outputs = new Array<number[] | undefined>(n).fill(undefined);
    const order: number[] = [0];
    for (let qi = 0; qi < order.length; qi++) {
      const s = order[qi]!;
      const row = s * 256;
      const failRow = fail[s]! * 256;
      if (s !== 0) {
        const out = [...own[s]!, ...(outputs[fail[s]!] ?? [])];
        outputs[s] = out.length ? out : undefined;
      }
      for (const b of used) {
        const t = goto[row + b]!;
        if (t === 0) delta[row + b] = s === 0 ? 0 : delta[failRow + b]!;
        else {
          delta[row + b] = t;
          fail[t] = s === 0 ? 0 : delta[failRow + b]!;
          order.push(t);
        }
      }
    }

    // The control state steps like the root; every state, itself too, steps to it on a control
    // byte (set in the table below).
    if (control >= 0) delta.copyWithin(control * 256, 0, 256);

    // Renumber: unmarked states first (the root stays 0), then those with outputs, control last.
    const rank = new Int32Array(n);
    let next = 0;
    for (let s = 0; s < n; s++) if (s !== control && !outputs[s]) rank[s] = next++;
    const firstMarked = next;
    for (let s = 0; s < n; s++) if (outputs[s]) rank[s] = next++;
    if (control >= 0) rank[control] = next;

    // Upper-case letters step like their lower-case ones; unused bytes stay 0, the root.
    const columns = used.flatMap((b) => (b >= 97 && b <= 122 ? [[b, b], [b - 32, b]] : [[b, b]]));
    const table = n <= 0x10000 ? new Uint16Array(n * 256) : new Int32Array(n * 256);
    const renumbered = new Array<number[] | undefined>(n).fill(undefined);
    for (let s = 0; s < n; s++) {
      const from = s * 256;
      const to = rank[s]! * 256;
      for (const [b, fb] of columns) table[to + b!] = rank[delta[from + fb!]!]!;
      for (const b of controls) table[to + b] = rank[control]!;
      renumbered[rank[s]!] = outputs[s];
    }
    this.table = table;
    this.firstMarked = firstMarked;
    this.outputs = renumbered;
    this.controlState = control >= 0 ? rank[control]! : -1;
    this.size = n;
  }
}

/** ASCII letters to lower case, every other byte to itself. */
const FOLD: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => (b >= 65 && b <= 90 ? b + 32 : b));
