// Windsurf Cascade hooks (docs.windsurf.com/windsurf/cascade/hooks), .windsurf/hooks.json:
// every payload has agent_action_name and tool_info. pre_run_command: tool_info.command_line
// and tool_info.cwd; pre_write_code: tool_info.file_path. A pre-hook blocks by exiting 2
// (stderr is shown with show_output); any other exit lets the action run, so a guard that
// cannot start fails open.
import { exitTwo, obj, shellCall, str, writeCall, type GuardAdapter } from './types.ts';

export const windsurf: GuardAdapter = {
  name: 'windsurf',
  label: 'Windsurf',
  detect: (p) => typeof p.agent_action_name === 'string',
  read: (p, defaultCwd) => {
    const action = str(p.agent_action_name);
    const info = obj(p.tool_info);
    // Another agent's payload (e.g. Claude Code's tool_name/tool_input) has neither.
    if (action === undefined) return { unreadable: `the payload has no agent_action_name${info ? '' : ' and no tool_info'}: it is not a Windsurf Cascade hook payload` };
    if (!info) return { unreadable: `the ${action} payload has no tool_info` };
    const cwd = str(info.cwd) || defaultCwd;
    if (action === 'pre_run_command') return shellCall(action, info.command_line, cwd);
    if (action === 'pre_write_code') return writeCall(action, [info.file_path], cwd);
    return { call: { kind: 'other', tool: action } };
  },
  reply: (verdict) => exitTwo(verdict),
};
