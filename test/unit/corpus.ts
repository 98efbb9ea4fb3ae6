// The labelled corpus: the shared development set plus the project's own samples in
// test/fixtures/corpus (each with its source), split into development and a held-out slice that
// patterns are not tuned on. Used by the classifier tests and by `npm run bench`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyText } from '../../src/core/classification/classifier';
import { compileMatcher } from '../../src/core/matching/matcher';
import type { Playbook } from '../../src/core/playbooks/model';
import { corpusDir, repoRoot } from './helpers';

export interface Sample {
  /** Path of the sample file. */
  path: string;
  /** Scenario id the classifier must report, or null for a negative. */
  want: string | null;
  split: 'dev' | 'heldout';
  source: string;
}

interface IndexEntry {
  file: string;
  label: string;
  source: string;
  split?: 'dev' | 'heldout';
}

export const FIXTURE_CORPUS = join(repoRoot, 'test', 'fixtures', 'corpus');

function read(dir: string): Sample[] {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as IndexEntry[];
  return index.map((e) => ({
    path: join(dir, e.file),
    want: e.label === 'none' ? null : e.label.replace(/_/g, '-'),
    split: e.split ?? 'dev',
    source: e.source,
  }));
}

/** Every sample: the shared set (all development) and ours. */
export function loadCorpus(): Sample[] {
  return [...read(corpusDir()), ...read(FIXTURE_CORPUS)];
}

export interface Score {
  total: number;
  correct: number;
  /** Negatives that were given a scenario. */
  falsePositives: number;
  negatives: number;
  wrong: { path: string; want: string | null; got: string | null }[];
}

export function score(playbooks: readonly Playbook[], samples: readonly Sample[]): Score {
  const matcher = compileMatcher(playbooks);
  const s: Score = { total: 0, correct: 0, falsePositives: 0, negatives: 0, wrong: [] };
  for (const sample of samples) {
    const got = classifyText(playbooks, readFileSync(sample.path), { matcher }).scenario;
    s.total++;
    if (sample.want === null) s.negatives++;
    if (got === sample.want) s.correct++;
    else {
      s.wrong.push({ path: sample.path, want: sample.want, got });
      if (sample.want === null) s.falsePositives++;
    }
  }
  return s;
}
