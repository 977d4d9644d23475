// GitHub Copilot CLI and coding agent (docs.github.com, "Hooks configuration"), files in
// .github/hooks/*.json: preToolUse sends {timestamp, cwd, toolName, toolArgs}, toolArgs being
// the tool's arguments as a JSON string (an object is accepted too). The PascalCase
// "PreToolUse" form sends tool_name/tool_input instead; both are read. Shell tools: bash,
// powershell (command); file tools: edit, create (path). To block: stdout
// {"permissionDecision": "deny", "permissionDecisionReason": "..."}; a hook that errors or
// times out is skipped, so Copilot fails open.
import { blockText, notEvent, obj, shellCall, str, writeCall, type GuardAdapter, type Payload } from './types.ts';

function argsOf(p: Payload): Payload | undefined {
  const raw = p.toolArgs ?? p.tool_input;
  if (typeof raw === 'string') {
    try {
      return obj(JSON.parse(raw));
    } catch {
      return undefined;
    }
  }
  return obj(raw);
}

export const copilot: GuardAdapter = {
  name: 'copilot',
  label: 'GitHub Copilot',
  detect: (p) => typeof p.toolName === 'string' && 'toolArgs' in p,
  read: (p, defaultCwd) => {
    // The PascalCase form's tool_name/tool_input are also Gemini's and Cursor's (BeforeTool,
    // preToolUse), whose tools (run_shell_command, Shell) would pass here as unknown ones.
    const wrongEvent = str(p.toolName) === undefined && 'hook_event_name' in p ? notEvent(p, 'PreToolUse') : undefined;
    if (wrongEvent) return { unreadable: `${wrongEvent}: it is not a GitHub Copilot preToolUse payload` };
    const tool = str(p.toolName) ?? str(p.tool_name);
    if (!tool) return { unreadable: 'the payload has no toolName' };
    const args = argsOf(p);
    if (!args) return { unreadable: `the ${tool} call's toolArgs are not a JSON object` };
    const cwd = str(p.cwd) || defaultCwd;
    const name = tool.toLowerCase();
    if (name === 'bash' || name === 'powershell' || name === 'shell') return shellCall(tool, args.command, cwd);
    if (['edit', 'create', 'write', 'str_replace_editor', 'str_replace'].includes(name)) return writeCall(tool, [args.path, args.file_path, args.filePath], cwd);
    return { call: { kind: 'other', tool } };
  },
  reply: (verdict) => ({
    stdout: verdict.decision === 'allow' ? '' : JSON.stringify({ permissionDecision: 'deny', permissionDecisionReason: blockText(verdict) }),
    stderr: '',
    exitCode: 0,
  }),
};
