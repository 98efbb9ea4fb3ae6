// Which Node runs `lifeline` for an agent that VS Code did not start: a `node` on PATH when there
// is one, else the editor's own runtime (Electron) told to behave as Node. An extension's user
// may have no Node installed; the editor always has its runtime. Pure but for the file checks.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { AgentCommand } from './agent-config';

/** The first executable `node` on `path` (PATH's value), or undefined. */
export function nodeOnPath(path: string | undefined, platform: NodeJS.Platform = process.platform): string | undefined {
  const names = platform === 'win32' ? ['node.exe'] : ['node'];
  for (const dir of (path ?? '').split(platform === 'win32' ? ';' : delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const file = join(dir, name);
      try {
        if (!statSync(file).isFile()) continue;
        if (platform !== 'win32') accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * `script words...` as a command an agent can start: with a Node from PATH, or with `runtime`
 * (the editor's process.execPath) and ELECTRON_RUN_AS_NODE=1 when PATH has none.
 */
export function bundledCommand(script: string, words: string[], runtime: string, path: string | undefined, platform: NodeJS.Platform = process.platform): AgentCommand {
  const node = nodeOnPath(path, platform);
  return node ? { node, args: [script, ...words] } : { node: runtime, args: [script, ...words], env: { ELECTRON_RUN_AS_NODE: '1' } };
}
