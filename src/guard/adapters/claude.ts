// Claude Code, PreToolUse (code.claude.com/docs/en/hooks): stdin carries tool_name,
// tool_input and cwd. Shell tools: Bash and PowerShell (tool_input.command). File tools:
// Write, Edit, MultiEdit (tool_input.file_path) and NotebookEdit (tool_input.notebook_path).
// Exit 2 blocks and feeds stderr to the model; any other non-zero exit is a non-blocking error,
// so a guard that crashed or was not found fails open (the git hooks, CI and the hub remain).
import { exitTwo, notEvent, obj, shellCall, str, writeCall, type GuardAdapter, type Payload, type Reading } from './types.ts';

export const CLAUDE_SHELL_TOOLS = ['Bash', 'PowerShell'];
export const CLAUDE_WRITE_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'];

/** Claude-shaped payloads (Claude Code, Codex CLI): tool_name + tool_input. */
export function readClaudeShape(payload: Payload, defaultCwd: string, shellTools: string[], writeTools: string[]): Reading {
  const tool = str(payload.tool_name);
  if (!tool) return { unreadable: 'the payload has no tool_name' };
  const input = obj(payload.tool_input) ?? {};
  const cwd = str(payload.cwd) || defaultCwd;
  if (shellTools.includes(tool)) return shellCall(tool, input.command, cwd);
  if (writeTools.includes(tool)) return writeCall(tool, [input.file_path, input.notebook_path, input.path], cwd);
  return { call: { kind: 'other', tool } };
}

export const claude: GuardAdapter = {
  name: 'claude',
  label: 'Claude Code',
  detect: (p) => p.hook_event_name === 'PreToolUse' && typeof p.tool_name === 'string' && !('turn_id' in p),
  read: (p, cwd) => {
    const wrongEvent = notEvent(p, 'PreToolUse');
    if (wrongEvent) return { unreadable: `${wrongEvent}: it is not a Claude Code PreToolUse payload` };
    // Codex's payload is Claude Code's plus turn_id; its apply_patch would pass here as an unknown tool.
    if ('turn_id' in p) return { unreadable: 'the payload carries turn_id: it is a Codex CLI payload, not a Claude Code one' };
    return readClaudeShape(p, cwd, CLAUDE_SHELL_TOOLS, CLAUDE_WRITE_TOOLS);
  },
  reply: (verdict) => exitTwo(verdict),
};
