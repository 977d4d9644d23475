// OpenCode (opencode.ai/docs/plugins): a plugin's "tool.execute.before"(input, output) hook
// sees input.tool and output.args, and blocks by throwing. The plugin init writes
// (.opencode/plugins/agent-sessions-guard.js) pipes {tool, args, cwd} to this guard and throws
// the guard's stderr when it exits non-zero; it throws too when the guard crashes, so OpenCode
// fails closed except when the guard's bin is missing (then it warns and allows).
// Tools: bash (args.command, args.workdir); write, edit, multiedit (args.filePath); patch and
// apply_patch (args.patchText).
import { resolve } from 'node:path';
import { exitTwo, obj, patchPaths, shellCall, str, writeCall, type GuardAdapter } from './types.ts';

export const opencode: GuardAdapter = {
  name: 'opencode',
  label: 'OpenCode',
  detect: (p) => typeof p.tool === 'string' && obj(p.args) !== undefined,
  read: (p, defaultCwd) => {
    const tool = str(p.tool);
    const args = obj(p.args);
    if (!tool || !args) return { unreadable: "the payload has no tool and args: it is not the OpenCode plugin's payload" };
    const cwd = str(p.cwd) || defaultCwd;
    if (tool === 'bash') return shellCall(tool, args.command, str(args.workdir) ? resolve(cwd, args.workdir as string) : cwd);
    if (tool === 'write' || tool === 'edit' || tool === 'multiedit') return writeCall(tool, [args.filePath, args.file_path], cwd);
    if (tool === 'patch' || tool === 'apply_patch') return writeCall(tool, patchPaths(str(args.patchText) ?? str(args.patch_text) ?? str(args.patch) ?? ''), cwd);
    return { call: { kind: 'other', tool } };
  },
  reply: (verdict) => exitTwo(verdict),
};
