// Which tests fail now, gathered from every source at once (JUnit reports, terminal runs): one
// entry per test identity, whichever source named it and however. Pure bookkeeping; the editor
// keeps a diagnostic as each entry's value.
import type { TestResult } from './model';
import { identityKey, sameTest, testIdentity } from './identity';
import type { TestIdentity } from './identity';

export interface LedgerBatch<T> {
  /** Who reported: a report file's URI, or `terminal:<runner>`. */
  origin: string;
  /** `value` is what to keep for a failure; none (it could not be placed) leaves the ledger as it was for that test. */
  results: { result: TestResult; value?: T }[];
  /** A JUnit report describes a whole run: its previous failures are replaced. */
  replacesOrigin: boolean;
  /**
   * The run passed as a whole and covered these tests (what its command line selected): their
   * earlier failures are cleared, whatever reported them.
   */
  ranAndPassed?: (id: TestIdentity) => boolean;
}

export interface LedgerEntry<T> {
  id: TestIdentity;
  origin: string;
  value: T;
}

export class FailureLedger<T> {
  private readonly entries = new Map<string, LedgerEntry<T>>();

  get all(): LedgerEntry<T>[] {
    return [...this.entries.values()];
  }

  /** Applies a batch; returns the origins it left without failures (their summaries can close). */
  apply(batch: LedgerBatch<T>): string[] {
    const before = new Set(this.all.map((e) => e.origin));
    for (const [k, e] of this.entries) {
      if ((batch.replacesOrigin && e.origin === batch.origin) || batch.ranAndPassed?.(e.id)) this.entries.delete(k);
    }
    for (const { result, value } of batch.results) {
      const id = testIdentity(result);
      if (result.status === 'passed') {
        this.forget(id);
        continue;
      }
      if (result.status === 'skipped' || value === undefined) continue;
      // One entry per test: a report and a terminal naming it differently replace each other.
      this.forget(id);
      this.entries.set(identityKey(id), { id, origin: batch.origin, value });
    }
    const after = new Set(this.all.map((e) => e.origin));
    return [...before].filter((o) => !after.has(o));
  }

  clear(): void {
    this.entries.clear();
  }

  private forget(id: TestIdentity): void {
    for (const [k, e] of this.entries) if (sameTest(e.id, id)) this.entries.delete(k);
  }
}
