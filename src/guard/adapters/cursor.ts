// Cursor (cursor.com/docs/hooks), .cursor/hooks.json: beforeShellExecution sends command and
// cwd (plus workspace_roots); preToolUse sends tool_name + tool_input for the file tools. The
// answer is JSON on stdout: {"permission": "deny", "user_message", "agent_message"}. Cursor
// treats a crashed hook as "allow" unless the entry sets failClosed: true, which init writes.
import { blockText, obj, shellCall, str, writeCall, type GuardAdapter, type Payload } from './types.ts';

export const CURSOR_WRITE_TOOLS = ['Write', 'StrReplace', 'Edit', 'MultiEdit', 'Delete'];

const rootOf = (p: Payload): string | undefined => (Array.isArray(p.workspace_roots) ? str(p.workspace_roots[0]) : undefined);

/** Cursor's payloads carry cursor_version (optional) and workspace_roots, with camelCase event names. */
const isCursorPayload = (p: Payload): boolean =>
  'cursor_version' in p || (Array.isArray(p.workspace_roots) && typeof p.hook_event_name === 'string' && /^[a-z]/.test(p.hook_event_name));

export const cursor: GuardAdapter = {
  name: 'cursor',
  label: 'Cursor',
  detect: isCursorPayload,
  read: (p, defaultCwd) => {
    // Claude Code's tool_name/tool_input would otherwise pass as an unknown tool ("Bash").
    if (!isCursorPayload(p)) return { unreadable: 'the payload has no cursor_version, nor workspace_roots with a camelCase hook_event_name: it is not a Cursor hook payload' };
    const cwd = str(p.cwd) || rootOf(p) || defaultCwd;
    if (p.hook_event_name === 'beforeShellExecution') return shellCall('shell', p.command, cwd);
    const tool = str(p.tool_name);
    if (!tool) return { unreadable: `the ${str(p.hook_event_name) ?? 'hook'} payload has no command or tool_name` };
    const input = obj(p.tool_input) ?? {};
    if (tool === 'Shell') return shellCall(tool, input.command, cwd);
    if (CURSOR_WRITE_TOOLS.includes(tool)) return writeCall(tool, [input.file_path, input.path, input.target_file], cwd);
    return { call: { kind: 'other', tool } };
  },
  reply: (verdict) => ({
    stdout: JSON.stringify(
      verdict.decision === 'allow' ? { permission: 'allow' } : { permission: 'deny', user_message: `agent-sessions guard: ${verdict.reason}`, agent_message: blockText(verdict) },
    ),
    stderr: '',
    exitCode: 0,
  }),
};
