// Which level of a Lifeline setting counts. No `vscode` import (unit-tested as is).

export interface Inspected<T> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/**
 * The value the user set, most specific level first; the schema's default does not count. A
 * restricted setting (package.json `restrictedConfigurations`) takes only the user's own value
 * in an untrusted workspace, as VS Code's `get` does: a cloned repository's settings must not
 * choose the database or worktrees Lifeline reads.
 */
export function settingValue<T>(v: Inspected<T> | undefined, restricted: boolean, trusted: boolean): T | undefined {
  if (!v) return undefined;
  if (restricted && !trusted) return v.globalValue;
  return v.workspaceFolderValue ?? v.workspaceValue ?? v.globalValue;
}
