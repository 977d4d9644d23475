// Codex CLI, PreToolUse (developers.openai.com/codex/hooks): the same wire format as Claude
// Code (tool_name, tool_input, cwd; plus turn_id and model). Tools: Bash (tool_input.command)
// and apply_patch (the patch text in tool_input.command; Edit and Write are only matcher
// aliases). Exit 2 + stderr blocks. Codex ignores output fields it does not know and treats a
// crashed hook as a non-blocking error: both fail open, so we block with exit 2 only.
import { readClaudeShape } from './claude.ts';
import { exitTwo, notEvent, obj, patchPaths, str, writeCall, type GuardAdapter } from './types.ts';

export const codex: GuardAdapter = {
  name: 'codex',
  label: 'Codex CLI',
  detect: (p) => p.hook_event_name === 'PreToolUse' && typeof p.tool_name === 'string' && 'turn_id' in p,
  read: (p, defaultCwd) => {
    const wrongEvent = notEvent(p, 'PreToolUse');
    if (wrongEvent) return { unreadable: `${wrongEvent}: it is not a Codex CLI PreToolUse payload` };
    // Without turn_id it is Claude Code's payload, whose Write and Edit Codex would not judge.
    if (!('turn_id' in p)) return { unreadable: 'the payload has no turn_id: it is not a Codex CLI payload' };
    if (p.tool_name === 'apply_patch') {
      const input = obj(p.tool_input) ?? {};
      const patch = str(input.command) ?? str(input.patch) ?? str(input.input);
      if (patch === undefined) return { unreadable: 'the apply_patch call carries no patch text' };
      return writeCall('apply_patch', patchPaths(patch), str(p.cwd) || defaultCwd);
    }
    return readClaudeShape(p, defaultCwd, ['Bash', 'shell', 'local_shell', 'exec_command'], []);
  },
  reply: (verdict) => exitTwo(verdict),
};
