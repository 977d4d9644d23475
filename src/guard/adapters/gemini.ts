// Gemini CLI, BeforeTool (geminicli.com/docs/hooks): tool_name + tool_input + cwd. Shell tool:
// run_shell_command (tool_input.command, tool_input.directory relative to the project root);
// file tools: write_file and replace (tool_input.file_path). Exit 2 blocks with stderr as the
// reason; on exit 0 stdout must be JSON ({} changes nothing). Other exits warn and let the call
// through, so a guard that cannot start fails open.
import { resolve } from 'node:path';
import { exitTwo, notEvent, obj, shellCall, str, writeCall, type GuardAdapter } from './types.ts';

export const gemini: GuardAdapter = {
  name: 'gemini',
  label: 'Gemini CLI',
  detect: (p) => p.hook_event_name === 'BeforeTool',
  read: (p, defaultCwd) => {
    const wrongEvent = notEvent(p, 'BeforeTool');
    if (wrongEvent) return { unreadable: `${wrongEvent}: it is not a Gemini CLI BeforeTool payload` };
    const tool = str(p.tool_name);
    if (!tool) return { unreadable: 'the payload has no tool_name' };
    const input = obj(p.tool_input) ?? {};
    let cwd = str(p.cwd) || defaultCwd;
    if (tool === 'run_shell_command') {
      if (str(input.directory)) cwd = resolve(cwd, input.directory as string);
      return shellCall(tool, input.command, cwd);
    }
    if (tool === 'write_file' || tool === 'replace') return writeCall(tool, [input.file_path], cwd);
    return { call: { kind: 'other', tool } };
  },
  reply: (verdict) => exitTwo(verdict, '{}'),
};
