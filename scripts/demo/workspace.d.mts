// Types for workspace.mjs, so TypeScript tests can import the generator.
export declare function createDemoWorkspace(root: string, now?: Date): { root: string; database: string; workstreams: string[] };
