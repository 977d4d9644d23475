// Cline (docs.cline.bot, "Hook Reference"): an executable named PreToolUse in
// .clinerules/hooks/ gets {clineVersion, hookName, taskId, workspaceRoots, preToolUse:
// {toolName, parameters}} on stdin. Shell tool: execute_command (parameters.command); file
// tools: write_to_file, replace_in_file, apply_diff (parameters.path). The answer is JSON on
// stdout: {"cancel": true, "errorMessage": "..."} blocks, {"cancel": false} lets it run. A hook
// that fails or prints no JSON does not cancel, so Cline fails open.
import { blockText, obj, shellCall, str, writeCall, type GuardAdapter } from './types.ts';

export const cline: GuardAdapter = {
  name: 'cline',
  label: 'Cline',
  detect: (p) => obj(p.preToolUse) !== undefined || p.hookName === 'PreToolUse',
  read: (p, defaultCwd) => {
    const call = obj(p.preToolUse);
    const tool = str(call?.toolName);
    if (!call || !tool) return { unreadable: 'the payload has no preToolUse.toolName: it is not a Cline PreToolUse payload' };
    const params = obj(call.parameters) ?? {};
    const cwd = (Array.isArray(p.workspaceRoots) ? str(p.workspaceRoots[0]) : undefined) || defaultCwd;
    if (tool === 'execute_command') return shellCall(tool, params.command, cwd);
    if (['write_to_file', 'replace_in_file', 'apply_diff', 'new_file', 'edit_file'].includes(tool)) return writeCall(tool, [params.path, params.file_path], cwd);
    return { call: { kind: 'other', tool } };
  },
  reply: (verdict) => ({
    stdout: JSON.stringify(verdict.decision === 'allow' ? { cancel: false } : { cancel: true, errorMessage: blockText(verdict) }),
    stderr: '',
    exitCode: 0,
  }),
};
