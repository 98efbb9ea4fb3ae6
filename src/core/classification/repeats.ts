// The "after 3 failures, change approach" rule (seeds 000 and 003): the same failure —
// scenario plus its evidence line with volatile parts (numbers, hashes, paths, times) masked —
// seen three times means the current approach is not working.
export const STRIKES = 3;

/** A stable fingerprint for a failure: the scenario and its normalised evidence. */
export function fingerprint(scenario: string, evidenceLine: string): string {
  const normal = evidenceLine
    .toLowerCase()
    .replace(/(?:[a-z]:)?[\\/](?:[\w.@~-]+[\\/])*[\w.@~-]+/gi, '<path>')
    .replace(/\b(?:0x)?[0-9a-f]{7,}\b/g, '<hex>')
    .replace(/\b(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+\b/g, '<duration>')
    .replace(/\d+(?:[.:]\d+)*/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
  return `${scenario}|${normal}`;
}

export interface RepeatVerdict {
  fingerprint: string;
  count: number;
  /** True exactly when the count reaches the third strike (and on every later one). */
  escalate: boolean;
}

/** Counts fingerprints; bounded so a long session cannot grow it without limit. */
export class RepeatDetector {
  private readonly seen = new Map<string, number>();

  constructor(private readonly limit = 500) {}

  record(scenario: string, evidenceLine: string): RepeatVerdict {
    const fp = fingerprint(scenario, evidenceLine);
    const count = (this.seen.get(fp) ?? 0) + 1;
    this.seen.delete(fp);
    this.seen.set(fp, count);
    if (this.seen.size > this.limit) this.seen.delete(this.seen.keys().next().value as string);
    return { fingerprint: fp, count, escalate: count >= STRIKES };
  }

  reset(fp?: string): void {
    if (fp) this.seen.delete(fp);
    else this.seen.clear();
  }
}
