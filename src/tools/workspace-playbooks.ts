// Where a workspace keeps its own playbooks when nothing says otherwise: the default of the
// extension's `lifeline.playbooks.folder` setting. The Claude Code hook reads it from the
// project folder, since a hook has no settings of its own.
export const WORKSPACE_PLAYBOOKS = '.lifeline/playbooks';
