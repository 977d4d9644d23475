// Each agent's pre-tool-use payloads as its hooks reference documents them (a shell command and
// a file write, in `dir`), and what a block and an allow look like in its protocol. One table
// for the adapter tests and the fail-closed tests.
import { expect } from 'vitest';

const patch = (path: string) => `*** Begin Patch\n*** Update File: ${path}\n@@\n-a\n+b\n*** End Patch\n`;

export interface AgentPayloads {
  shell: (command: string) => object;
  write: (path: string) => object;
}

export function agentPayloads(dir: string): Record<string, AgentPayloads> {
  return {
    claude: {
      shell: (command) => ({ session_id: 's', transcript_path: '/t', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command, description: 'x' } }),
      write: (path) => ({ session_id: 's', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: `${dir}/${path}`, content: 'x' } }),
    },
    codex: {
      shell: (command) => ({ session_id: 's', turn_id: 't', model: 'gpt', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'u' }),
      write: (path) => ({ session_id: 's', turn_id: 't', model: 'gpt', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'apply_patch', tool_input: { command: patch(path) } }),
    },
    gemini: {
      shell: (command) => ({ session_id: 's', cwd: dir, hook_event_name: 'BeforeTool', timestamp: 'x', tool_name: 'run_shell_command', tool_input: { command } }),
      write: (path) => ({ session_id: 's', cwd: dir, hook_event_name: 'BeforeTool', tool_name: 'write_file', tool_input: { file_path: path, content: 'x' } }),
    },
    cursor: {
      shell: (command) => ({ hook_event_name: 'beforeShellExecution', conversation_id: 'c', generation_id: 'g', cursor_version: '2.0', workspace_roots: [dir], command, cwd: dir }),
      write: (path) => ({ hook_event_name: 'preToolUse', conversation_id: 'c', cursor_version: '2.0', workspace_roots: [dir], tool_name: 'Write', tool_input: { file_path: `${dir}/${path}`, contents: 'x' } }),
    },
    copilot: {
      shell: (command) => ({ timestamp: 1704614600000, cwd: dir, toolName: 'bash', toolArgs: JSON.stringify({ command, description: 'x' }) }),
      write: (path) => ({ timestamp: 1704614600000, cwd: dir, toolName: 'edit', toolArgs: JSON.stringify({ path: `${dir}/${path}`, old_str: 'a', new_str: 'b' }) }),
    },
    cline: {
      shell: (command) => ({ clineVersion: '3.36', hookName: 'PreToolUse', timestamp: 'x', taskId: 't', workspaceRoots: [dir], userId: 'u', preToolUse: { toolName: 'execute_command', parameters: { command, requires_approval: 'false' } } }),
      write: (path) => ({ clineVersion: '3.36', hookName: 'PreToolUse', taskId: 't', workspaceRoots: [dir], preToolUse: { toolName: 'write_to_file', parameters: { path, content: 'x' } } }),
    },
    windsurf: {
      shell: (command) => ({ agent_action_name: 'pre_run_command', trajectory_id: 't', execution_id: 'e', timestamp: 'x', tool_info: { command_line: command, cwd: dir } }),
      write: (path) => ({ agent_action_name: 'pre_write_code', trajectory_id: 't', execution_id: 'e', tool_info: { file_path: `${dir}/${path}`, edits: [{ old_string: 'a', new_string: 'b' }] } }),
    },
    opencode: {
      shell: (command) => ({ tool: 'bash', sessionID: 's', callID: 'c', args: { command, description: 'x' }, cwd: dir }),
      write: (path) => ({ tool: 'edit', sessionID: 's', args: { filePath: `${dir}/${path}`, oldString: 'a', newString: 'b' }, cwd: dir }),
    },
  };
}

type Reply = { stdout: string; stderr: string; exitCode: number };

/** Per agent: how a block and an allow look (the protocol the agent really acts on). */
export interface AgentProtocol {
  blocked: (reply: Reply) => void;
  allowed: (reply: Reply) => void;
  /** The text of a block that reaches the model. */
  told: (reply: Reply) => string;
}

// Exit 2 blocks, with the reason and fix on stderr; any other exit lets the call run.
const exit2: AgentProtocol = {
  blocked: (r) => (expect(r.exitCode).toBe(2), expect(r.stdout).toBe(''), expect(r.stderr).toMatch(/fix: /)),
  allowed: (r) => (expect(r.exitCode).toBe(0), expect(r.stdout).toBe('')),
  told: (r) => r.stderr,
};

export const PROTOCOLS: Record<string, AgentProtocol> = {
  claude: exit2,
  codex: exit2,
  // Gemini CLI parses stdout as JSON on exit 0.
  gemini: { ...exit2, allowed: (r) => (expect(r.exitCode).toBe(0), expect(JSON.parse(r.stdout)).toEqual({})) },
  cursor: {
    blocked: (r) => (expect(r.exitCode).toBe(0), expect(JSON.parse(r.stdout)).toMatchObject({ permission: 'deny', user_message: expect.any(String), agent_message: expect.stringMatching(/Fix: /) })),
    allowed: (r) => (expect(r.exitCode).toBe(0), expect(JSON.parse(r.stdout)).toEqual({ permission: 'allow' })),
    told: (r) => JSON.parse(r.stdout).agent_message,
  },
  copilot: {
    blocked: (r) => (expect(r.exitCode).toBe(0), expect(JSON.parse(r.stdout)).toMatchObject({ permissionDecision: 'deny', permissionDecisionReason: expect.stringMatching(/Fix: /) })),
    allowed: (r) => (expect(r.exitCode).toBe(0), expect(r.stdout).toBe('')),
    told: (r) => JSON.parse(r.stdout).permissionDecisionReason,
  },
  cline: {
    blocked: (r) => (expect(r.exitCode).toBe(0), expect(JSON.parse(r.stdout)).toMatchObject({ cancel: true, errorMessage: expect.stringMatching(/Fix: /) })),
    allowed: (r) => (expect(r.exitCode).toBe(0), expect(JSON.parse(r.stdout)).toEqual({ cancel: false })),
    told: (r) => JSON.parse(r.stdout).errorMessage,
  },
  windsurf: exit2,
  opencode: exit2,
};
