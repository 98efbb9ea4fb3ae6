// lifeline_classify: which known failure some output shows, in seed 004's recovery-analysis
// shape. The CLI streams a file or stdin into `classifyScanned`; MCP hands the text to
// `classifyTool`; both answer through classifyStream, so the JSON is the same.
import { classifyStream } from '../core/classification/classifier';
import type { Classification } from '../core/classification/classifier';
import { compileMatcher } from '../core/matching/matcher';
import { scanText } from '../core/matching/stream';
import type { ScanResult } from '../core/matching/stream';
import type { Playbook, SymptomSource } from '../core/playbooks/model';
import { EXIT } from './outcome';
import type { ToolContext, ToolOutcome } from './outcome';

export interface ClassifyInput {
  text: string;
  source?: SymptomSource;
  /** The exit code of the command that printed the text, when known. */
  exitCode?: number;
}

/** Exit 0 when a scenario matched, 3 when none did. */
export function classifyScanned(playbooks: readonly Playbook[], scanned: ScanResult, exitCode?: number): ToolOutcome<Classification> {
  const data = classifyStream(playbooks, scanned, { exitCode });
  return { data, exitCode: data.scenario ? EXIT.ok : EXIT.noMatch };
}

export async function classifyTool(ctx: ToolContext, input: ClassifyInput): Promise<ToolOutcome<Classification>> {
  const playbooks = await ctx.playbooks();
  const scanned = scanText(compileMatcher(playbooks), input.text, { source: input.source });
  return classifyScanned(playbooks, scanned, input.exitCode);
}
