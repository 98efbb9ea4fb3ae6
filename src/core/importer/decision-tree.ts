// Reads ASCII decision trees as runbooks draw them:
//   Has commits?
//   ├─ YES → Proceed to Step 3
//   └─ NO  → Proceed to Step 4
// into a question and its options (with the step each one names). Deeper branches stay text.
// Pure.

export interface DecisionOption {
  /** The answer as written ("YES", "Code bug?"). */
  answer: string;
  /** Where it leads, as written ("Proceed to Step 3 (manual merge)"). */
  target: string;
  /** The step number the target names, when it names one. */
  step?: number;
}

export interface DecisionTree {
  question: string;
  options: DecisionOption[];
}

/** A branch: a tree glyph (or ASCII stand-in), an answer, an arrow, a target. */
const BRANCH = /^(\s*)(?:[├└┣┗╠╚]|[|`+\\](?=[─━═-]))[─━═-]*\s*(.+?)\s*(?:→|->|=>|⇒|➜|➔)\s*(.+?)\s*$/;

export function parseDecisionTree(text: string): DecisionTree | undefined {
  const lines = text.split('\n');
  const firstBranch = lines.findIndex((l) => BRANCH.test(l));
  if (firstBranch <= 0) return undefined;
  const question = lines
    .slice(0, firstBranch)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  if (!question) return undefined;
  const branches = lines.slice(firstBranch).map((l) => BRANCH.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const top = Math.min(...branches.map((m) => m[1]!.length));
  const options = branches
    .filter((m) => m[1]!.length === top)
    .map((m): DecisionOption => {
      const target = m[3]!;
      const step = /\bstep\s+(\d+)\b/i.exec(target);
      return step ? { answer: m[2]!, target, step: Number(step[1]) } : { answer: m[2]!, target };
    });
  return options.length >= 2 ? { question, options } : undefined;
}
