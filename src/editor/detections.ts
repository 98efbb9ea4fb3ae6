// The failures Lifeline noticed in this window (terminal, tasks, test reports, classified
// text), newest first, one entry per fingerprint. The Recover quick pick lists them and the
// status bar counts the open ones. Light: loaded at activation.
import * as vscode from 'vscode';
import { Disposable } from './dispose';
import type { Evidence, TriggerSource } from '../core/decisions/state';
import type { FailureType } from '../core/playbooks/model';

export interface Detection {
  /** Playbook id. */
  scenario: string;
  title: string;
  /** Same failure, same fingerprint: repeats count up instead of adding rows. */
  fingerprint: string;
  source: TriggerSource;
  evidence: Evidence[];
  at: Date;
  commandLine?: string;
  exitCode?: number;
  confidence?: number;
  /** Seed 004's failure type, for a failure no playbook recognises (its scenario is triage). */
  failureType?: FailureType;
  subject?: string;
  /** How many times it was seen. */
  count: number;
  /** Set when the user dismissed it or it went away (a test passed again). */
  closed?: boolean;
}

export type NewDetection = Omit<Detection, 'count' | 'closed'>;

const MAX = 200;

export class Detections extends Disposable {
  private readonly items = new Map<string, Detection>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  /** Records a failure; returns the entry (with its count) and whether it is the first of its kind. */
  add(d: NewDetection): { detection: Detection; first: boolean } {
    const prior = this.items.get(d.fingerprint);
    const detection: Detection = { ...d, count: (prior?.count ?? 0) + 1 };
    // Re-inserting moves it to the end: the map stays ordered by last sighting.
    this.items.delete(d.fingerprint);
    this.items.set(d.fingerprint, detection);
    while (this.items.size > MAX) this.items.delete(this.items.keys().next().value!);
    this.changed.fire();
    return { detection, first: !prior };
  }

  /** Newest first. */
  list(): Detection[] {
    return [...this.items.values()].reverse();
  }

  /** Whether the failure `fingerprint` was noticed and is still open (not dismissed, not gone). */
  isOpen(fingerprint: string): boolean {
    const d = this.items.get(fingerprint);
    return d !== undefined && !d.closed;
  }

  get openCount(): number {
    let n = 0;
    for (const d of this.items.values()) if (!d.closed) n++;
    return n;
  }

  close(fingerprint: string): void {
    const d = this.items.get(fingerprint);
    if (!d || d.closed) return;
    d.closed = true;
    this.changed.fire();
  }
}
