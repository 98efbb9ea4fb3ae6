// Every git fix-up handler, for the registry.
import type { FixupHandler } from '../fixups/types';
import { branchDeleteHandler } from './fixups/branch-delete';
import { findCulpritHandler } from './fixups/find-culprit';
import { mergeHandler } from './fixups/merge';
import { pruneHandler } from './fixups/prune';
import { removeHandler } from './fixups/remove';
import { repairHandler } from './fixups/repair';
import { revertHandler } from './fixups/revert';
import { saveWipHandler } from './fixups/save-wip';
import { unlockHandler } from './fixups/unlock';

export const gitHandlers: readonly FixupHandler[] = [
  pruneHandler,
  repairHandler,
  unlockHandler,
  saveWipHandler,
  removeHandler,
  mergeHandler,
  revertHandler,
  findCulpritHandler,
  branchDeleteHandler,
];
