// A case-insensitive (for ASCII letters) Aho-Corasick automaton over UTF-8 bytes: finds every
// occurrence of many literals in one left-to-right pass, as a dense DFA table so the hot loop
// is one array read per byte. Non-ASCII bytes match exactly.
//
// The table is indexed by byte *class*, not byte: bytes that occur in no pattern share one class
// and upper-case letters share their lower-case letter's, so a few dozen columns replace 256 and
// the table of a few thousand states stays small enough for the CPU cache (a 256-wide Int32
// table of the built-in anchors is several MB, and cache misses dominated the scan).

export class AhoCorasick {
  /** `classOf[byte]` is the byte's column in `table`. */
  readonly classOf: Uint8Array;
  /** log2 of the row width: `table[(state << shift) | classOf[byte]]` is the next state. */
  readonly shift: number;
  /** The transition table, row per state. */
  readonly table: Uint16Array | Int32Array;
  /** For each state, the ids of the patterns ending there (own and via suffix links). */
  readonly outputs: (readonly number[] | undefined)[];
  /**
   * 1 where `outputs[state]` is non-empty, 2 for the control state: one byte-array test in the
   * hot loop covers both "a pattern ended here" and "this byte needs attention".
   */
  readonly hasOutput: Uint8Array;
  /** Every state steps here on a control byte (see the constructor); it then behaves like the root. */
  readonly controlState: number;

  /**
   * `patterns[i]` is matched ASCII-case-insensitively; a hit reports `i`. The `controls` bytes
   * (which no pattern may contain) lead from every state to `controlState`, so the caller learns
   * of them from the same test as of a hit instead of comparing every byte.
   */
  constructor(patterns: readonly string[], controls: readonly number[] = []) {
    const encoder = new TextEncoder();
    const encoded = patterns.map((p) => encoder.encode(p.toLowerCase()).map(foldByte));
    // Class 0: every byte no pattern uses. Then one class per distinct (folded) pattern byte.
    const classOf = new Uint8Array(256);
    let classes = 1;
    for (const bytes of encoded) for (const b of bytes) if (classOf[b] === 0) classOf[b] = classes++;
    for (let b = 65; b <= 90; b++) classOf[b] = classOf[b + 32]!;
    const controlClass = controls.length ? classes++ : -1;
    for (const b of controls) {
      if (classOf[b] !== 0) throw new Error(`control byte ${b} occurs in a pattern`);
      classOf[b] = controlClass;
    }
    let shift = 0;
    while (1 << shift < classes) shift++;
    const width = 1 << shift;

    const go: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    encoded.forEach((bytes, id) => {
      let s = 0;
      for (const b of bytes) {
        const c = classOf[b]!;
        let next = go[s]!.get(c);
        if (next === undefined) {
          next = go.push(new Map()) - 1;
          own.push([]);
          go[s]!.set(c, next);
        }
        s = next;
      }
      own[s]!.push(id);
    });
    const n = go.length + (controls.length ? 1 : 0);
    const control = controls.length ? n - 1 : -1;
    const table = n <= 0xffff ? new Uint16Array(n * width) : new Int32Array(n * width);
    const fail = new Int32Array(n);
    const outputs = new Array<number[] | undefined>(n);
    outputs[0] = own[0]!.length ? own[0] : undefined;
    // Breadth-first, so a state's failure row is complete before its children need it.
    const order: number[] = [];
    for (const [c, t] of go[0]!) {
      table[c] = t;
      order.push(t);
    }
    for (let qi = 0; qi < order.length; qi++) {
      const s = order[qi]!;
      const f = fail[s]!;
      const out = [...own[s]!, ...(outputs[f] ?? [])];
      outputs[s] = out.length ? out : undefined;
      for (let c = 0; c < width; c++) {
        const t = go[s]!.get(c);
        if (t !== undefined) {
          fail[t] = c === 0 ? 0 : table[f * width + c]!;
          table[s * width + c] = t;
          order.push(t);
        } else {
          table[s * width + c] = c === 0 ? 0 : table[f * width + c]!;
        }
      }
    }
    if (control >= 0) {
      // The control state steps like the root; every state (itself too) steps to it on a control.
      table.copyWithin(control * width, 0, width);
      for (let s = 0; s < n; s++) table[s * width + controlClass] = control;
      outputs[control] = undefined;
    }
    this.controlState = control;
    this.classOf = classOf;
    this.shift = shift;
    this.table = table;
    this.outputs = outputs;
    this.hasOutput = Uint8Array.from({ length: n }, (_, s) => (s === control ? 2 : outputs[s] ? 1 : 0));
  }
}

function foldByte(b: number): number {
  return b >= 65 && b <= 90 ? b + 32 : b;
}
