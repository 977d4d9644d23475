// The agents that export their project dir to hook commands, and under which name: their guard
// command finds the project's bin from it (src/guard/install.ts). The hook formats of all the
// agents live in src/guard/adapters/ (reading) and src/agents-config/ (what init writes).
// - Claude Code: PreToolUse in .claude/settings.json; $CLAUDE_PROJECT_DIR.
// - Gemini CLI: BeforeTool in .gemini/settings.json; $GEMINI_PROJECT_DIR.

export interface AgentProfile {
  name: string;
  /** Settings file, relative to the project root. */
  settingsFile: string;
  /** Environment variable holding the project dir in hook commands. */
  projectDirVar: string;
}

export const AGENT_PROFILES: Record<string, AgentProfile> = {
  claude: { name: 'claude', settingsFile: '.claude/settings.json', projectDirVar: 'CLAUDE_PROJECT_DIR' },
  gemini: { name: 'gemini', settingsFile: '.gemini/settings.json', projectDirVar: 'GEMINI_PROJECT_DIR' },
};

export function agentProfile(name: string): AgentProfile | undefined {
  return Object.hasOwn(AGENT_PROFILES, name) ? AGENT_PROFILES[name] : undefined;
}
