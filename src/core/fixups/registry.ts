// Which handler runs each fix-up action: the git handlers plus whatever the database half
// registers. One place, so the CLI and the editor offer the same actions.
import type { FixupAction } from '../playbooks/model';
import type { DatabaseSource, FixupHandler } from './types';

export class FixupRegistry {
  private readonly handlers = new Map<FixupAction, FixupHandler>();

  constructor(handlers: readonly FixupHandler[] = []) {
    for (const h of handlers) this.register(h);
  }

  register(handler: FixupHandler): void {
    if (this.handlers.has(handler.action)) throw new Error(`two handlers for ${handler.action}`);
    this.handlers.set(handler.action, handler);
  }

  get(action: FixupAction): FixupHandler | undefined {
    return this.handlers.get(action);
  }

  actions(): FixupAction[] {
    return [...this.handlers.keys()];
  }
}

/** What the workspace's scanners and handlers come from. */
export interface Sources {
  /** The database half; absent until it is wired in (diagnose then covers git only). */
  database?: DatabaseSource;
}
