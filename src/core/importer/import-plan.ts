// What "Lifeline: Import Runbook..." will do, before it does it: the scenarios read from the
// runbook (symptoms, steps with their lines, commands), the YAML file each becomes, or the one
// Markdown file kept as the source; files that exist already are named and never replaced.
// The preview is built from the same plan the command then writes, so what it shows is what
// lands on disk. Pure: the caller lists the folder and writes the files.
import { basename, join } from 'node:path';
import type { PlaybookOrigin } from '../playbooks/collection';
import { isTextSymptom } from '../playbooks/model';
import type { Playbook } from '../playbooks/model';
import type { ImportResult } from './import-runbook';
import { playbookToYaml } from './playbook-yaml';

export interface PlannedFile {
  path: string;
  text: string;
  /** A file of that name is in the folder already: it is left as it is. */
  exists: boolean;
}

export interface ImportPlan {
  runbook: string;
  playbooks: Playbook[];
  origins: PlaybookOrigin[];
  /** "Write YAML": one file per playbook. */
  yaml: PlannedFile[];
  /** "Keep the Markdown": the runbook copied into the folder as it is (none when it is there already). */
  markdown: PlannedFile | undefined;
}

export function planImport(result: ImportResult, runbookPath: string, runbookText: string, folder: string, existing: ReadonlySet<string>): ImportPlan {
  const name = basename(runbookPath);
  const yaml = result.playbooks.map((p) => {
    const file = `${p.id}.yaml`;
    return { path: join(folder, file), text: playbookToYaml(p, `Imported from ${name} by Lifeline: Import Runbook. Edit freely; delete the runbook's copy if you keep one.`), exists: existing.has(file) };
  });
  const inFolder = join(folder, name) === runbookPath;
  return {
    runbook: runbookPath,
    playbooks: result.playbooks,
    origins: result.origins.map((o) => ({ file: runbookPath, format: 'markdown' as const, line: o.line, nodes: o.nodes })),
    yaml,
    markdown: inFolder ? undefined : { path: join(folder, name), text: runbookText, exists: existing.has(name) },
  };
}

/** The plan as Markdown, for the preview the user reads before choosing. */
export function planPreview(plan: ImportPlan, relative: (path: string) => string): string {
  const out: string[] = [`# Import ${basename(plan.runbook)}`, ''];
  out.push(`${plan.playbooks.length} ${plan.playbooks.length === 1 ? 'scenario' : 'scenarios'} read from \`${relative(plan.runbook)}\`.`, '');
  plan.playbooks.forEach((p, i) => {
    const origin = plan.origins[i]!;
    out.push(`## ${p.title}`, '', `- id: \`${p.id}\` (line ${origin.line})`);
    const symptoms = p.symptoms.filter(isTextSymptom);
    if (symptoms.length) {
      out.push('- symptoms (what the runbook says the failure prints):');
      for (const s of symptoms) out.push(`  - \`${s.pattern}\`${s.description ? ` — ${s.description}` : ''}`);
    } else {
      out.push('- symptoms: none named by the runbook — this guide opens only from Recover from Failure');
    }
    if (p.inputs.length) out.push(`- asks for: ${p.inputs.map((x) => `${x.label} (\`{{${x.name}}}\`)`).join(', ')}`);
    out.push('- steps:');
    let n = 0;
    for (const node of p.nodes) {
      if (node.kind !== 'step' && node.kind !== 'question') continue;
      const line = origin.nodes[node.id];
      // The closing "did it work?" question and branch notes are the importer's; the runbook's steps have lines.
      if (line === undefined) continue;
      n++;
      out.push(`  ${n}. ${node.title} (line ${line})`);
      if (node.kind === 'step') for (const c of node.commands) out.push(`     - \`${c.run}\``);
    }
    out.push('');
  });
  out.push('## Where it goes', '');
  out.push('**Write YAML** writes:');
  for (const f of plan.yaml) out.push(`- \`${relative(f.path)}\`${f.exists ? ' — exists already, left as it is' : ''}`);
  out.push('');
  if (plan.markdown) {
    out.push(`**Keep the Markdown** copies the runbook to \`${relative(plan.markdown.path)}\`${plan.markdown.exists ? ' — exists already, left as it is' : ''}; it is read as it is, each time it changes.`);
  } else {
    out.push('**Keep the Markdown**: the runbook is in the playbooks folder already and is read as it is.');
  }
  out.push('');
  return out.join('\n');
}
