// A case-insensitive (for ASCII letters) Aho-Corasick automaton over UTF-8 bytes: finds every
// occurrence of many literals in one left-to-right pass, as a dense DFA table so the hot loop
// is one array read per byte. Non-ASCII bytes match exactly.

const WIDTH = 256;

function foldByte(b: number): number {
  return b >= 65 && b <= 90 ? b + 32 : b;
}

export class AhoCorasick {
  /** `table[state * 256 + byte]` is the next state; upper-case ASCII is folded in the table. */
  readonly table: Int32Array;
  /** For each state, the ids of the patterns ending there (own and via suffix links). */
  readonly outputs: (readonly number[] | undefined)[];
  /** 1 where `outputs[state]` is non-empty: a byte array is cheaper to test in the hot loop. */
  readonly hasOutput: Uint8Array;

  /** `patterns[i]` is matched ASCII-case-insensitively; a hit reports `i`. */
  constructor(patterns: readonly string[]) {
    const encoder = new TextEncoder();
    const go: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    patterns.forEach((p, id) => {
      let s = 0;
      for (const raw of encoder.encode(p.toLowerCase())) {
        const b = foldByte(raw);
        let next = go[s]!.get(b);
        if (next === undefined) {
          next = go.push(new Map()) - 1;
          own.push([]);
          go[s]!.set(b, next);
        }
        s = next;
      }
      own[s]!.push(id);
    });
    const n = go.length;
    const table = new Int32Array(n * WIDTH);
    const fail = new Int32Array(n);
    const outputs = new Array<number[] | undefined>(n);
    outputs[0] = own[0]!.length ? own[0] : undefined;
    // Breadth-first, so a state's failure row is complete before its children need it.
    const order: number[] = [];
    for (const [b, t] of go[0]!) {
      table[b] = t;
      order.push(t);
    }
    for (let qi = 0; qi < order.length; qi++) {
      const s = order[qi]!;
      const f = fail[s]!;
      const out = [...own[s]!, ...(outputs[f] ?? [])];
      outputs[s] = out.length ? out : undefined;
      for (let b = 0; b < WIDTH; b++) {
        const t = go[s]!.get(b);
        if (t !== undefined) {
          fail[t] = table[f * WIDTH + b]!;
          table[s * WIDTH + b] = t;
          order.push(t);
        } else {
          table[s * WIDTH + b] = table[f * WIDTH + b]!;
        }
      }
    }
    // Upper-case ASCII letters step like their lower-case forms.
    for (let s = 0; s < n; s++) for (let b = 65; b <= 90; b++) table[s * WIDTH + b] = table[s * WIDTH + b + 32]!;
    this.table = table;
    this.outputs = outputs;
    this.hasOutput = Uint8Array.from(outputs, (o) => (o ? 1 : 0));
  }
}
