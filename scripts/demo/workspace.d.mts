// Types for workspace.mjs, so TypeScript tests can import the generator.
export declare function createDemoWorkspace(root: string, now?: Date): { root: string; database: string; workstreams: string[] };
/** The orchestrator log the demo writes to logs/orchestrator.log, its last line at `t`. */
export declare function orchestratorLog(t: Date): string;
