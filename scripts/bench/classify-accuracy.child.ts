// Prints the classifier's accuracy on the labelled corpus (development set and held-out slice)
// as one JSON line, for `npm run bench`.
import { loadCorpus, score } from '../../test/unit/corpus';
import { builtInPlaybooks } from '../../test/unit/helpers';

void (async () => {
  const playbooks = await builtInPlaybooks();
  const all = loadCorpus();
  const out: Record<string, unknown> = {};
  for (const split of ['dev', 'heldout'] as const) {
    const s = score(playbooks, all.filter((x) => x.split === split));
    out[split] = { correct: s.correct, total: s.total, falsePositives: s.falsePositives, negatives: s.negatives, wrong: s.wrong.map((w) => `${w.path.split(/[\\/]/).slice(-1)[0]}: want ${w.want}, got ${w.got}`) };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
})();
