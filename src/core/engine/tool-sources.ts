// The agent tools' sources the engine reads, in the order their findings are listed. Each one
// detects itself (null when the tool has no state for the repository).
import { claudeCodeSource } from './claude-code';
import { claudeSquadSource } from './claude-squad';
import { codexSource } from './codex';
import type { ToolSource } from './tool-source';
import { vibeKanbanSource } from './vibe-kanban';

export const TOOL_SOURCES: readonly ToolSource[] = [claudeCodeSource, codexSource, vibeKanbanSource, claudeSquadSource];
