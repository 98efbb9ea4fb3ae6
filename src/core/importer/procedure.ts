// Reads a numbered procedure written as plain text (a fenced block of "1. ...", "2. ..." lines
// with indented detail) into steps: each top-level number a step, its indented lines the
// step's detail, verbatim. Pure.

export interface ProcedureStep {
  number: number;
  title: string;
  /** The lines under the step, dedented, verbatim otherwise. */
  detail: string[];
}

export function parseProcedure(text: string): ProcedureStep[] {
  const lines = text.replace(/\n$/, '').split('\n');
  const numbered = lines.map((l) => /^(\s*)(\d+)[.)]\s+(.*)$/.exec(l));
  const top = Math.min(...numbered.filter((m) => m !== null).map((m) => m![1]!.length));
  const steps: ProcedureStep[] = [];
  lines.forEach((line, i) => {
    const m = numbered[i];
    if (m && m[1]!.length === top) {
      steps.push({ number: Number(m[2]), title: m[3]!.trim(), detail: [] });
    } else if (steps.length) {
      steps[steps.length - 1]!.detail.push(line);
    }
  });
  for (const s of steps) {
    while (s.detail.length && !s.detail[s.detail.length - 1]!.trim()) s.detail.pop();
    const indent = Math.min(...s.detail.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    if (Number.isFinite(indent)) s.detail = s.detail.map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)).trimEnd());
  }
  return steps;
}
