// Types for workspace.mjs, so TypeScript tests can import the generator.
export declare function createDemoWorkspace(root: string, now?: Date): { root: string; database: string; workstreams: string[] };
/** The orchestrator log the demo writes to logs/orchestrator.log, its last line at `t`. */
export declare function orchestratorLog(t: Date): string;
/** A hung agent: a process that never ends, working inside ws-15's worktree. */
export declare function startHungAgent(root: string): import('node:child_process').ChildProcess;
/** A second writer holding the database open, with committed work left in its WAL when killed. */
export declare function holdDatabase(root: string): Promise<import('node:child_process').ChildProcess>;
