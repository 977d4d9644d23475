// The agents whose pre-tool-use hook protocol the guard speaks, each as read from that agent's
// own documentation. Both block a tool call on exit code 2 with the reason on stderr (any other
// non-zero exit is a warning that lets the call through).
// - Claude Code: PreToolUse in .claude/settings.json; tools Bash (tool_input.command) and
//   Write/Edit/MultiEdit (tool_input.file_path); $CLAUDE_PROJECT_DIR.
// - Gemini CLI: BeforeTool in .gemini/settings.json (matchers are regexes); tools
//   run_shell_command (tool_input.command, tool_input.directory relative to the project root)
//   and write_file/replace (tool_input.file_path); $GEMINI_PROJECT_DIR; stdout must be JSON.

export interface AgentProfile {
  name: string;
  /** Settings file, relative to the project root. */
  settingsFile: string;
  /** The hook event that runs before a tool. */
  event: string;
  /** Environment variable holding the project dir in hook commands. */
  projectDirVar: string;
  shellTools: readonly string[];
  writeTools: readonly string[];
  /** Matcher for the shell tools and for the file-writing tools. */
  matchers: { shell: string; write: string };
  /** What an allowed call prints on stdout. */
  allowOutput: string;
  /** Extra fields of each hook entry (e.g. a name). */
  hookFields: Record<string, string>;
}

export const AGENT_PROFILES: Record<string, AgentProfile> = {
  claude: {
    name: 'claude',
    settingsFile: '.claude/settings.json',
    event: 'PreToolUse',
    projectDirVar: 'CLAUDE_PROJECT_DIR',
    shellTools: ['Bash'],
    writeTools: ['Write', 'Edit', 'MultiEdit'],
    matchers: { shell: 'Bash', write: 'Write|Edit|MultiEdit' },
    // Claude Code shows a hook's stdout in the transcript: say nothing when all is well.
    allowOutput: '',
    hookFields: {},
  },
  gemini: {
    name: 'gemini',
    settingsFile: '.gemini/settings.json',
    event: 'BeforeTool',
    projectDirVar: 'GEMINI_PROJECT_DIR',
    shellTools: ['run_shell_command'],
    writeTools: ['write_file', 'replace'],
    matchers: { shell: 'run_shell_command', write: 'write_file|replace' },
    // Gemini CLI parses stdout as JSON on exit 0: an empty object changes nothing.
    allowOutput: '{}',
    hookFields: { name: 'agent-sessions-guard' },
  },
};

export const GUARD_AGENTS = Object.keys(AGENT_PROFILES);

export function agentProfile(name: string): AgentProfile | undefined {
  return Object.hasOwn(AGENT_PROFILES, name) ? AGENT_PROFILES[name] : undefined;
}
