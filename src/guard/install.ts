// The guard command for agents that name their project dir in a variable (Claude Code, Gemini
// CLI). What init writes for each agent lives in src/agents-config/.
import { AGENT_PROFILES, agentProfile } from './agents.ts';

export const CLAUDE_SETTINGS = AGENT_PROFILES.claude!.settingsFile;
export const GUARD_MARK = '# agent-sessions guard';

/**
 * The hook command: the project's own bin, no npx (a network fetch on every tool call).
 * The agent runs it with a shell and sets its project-dir variable. A session worktree has no
 * node_modules of its own, so when the bin is not in the project dir we look in the main
 * worktree (the parent of git's common dir). The trailing comment marks the entry as ours.
 */
export function guardCommand(bin: string, agent = 'claude'): string {
  const dir = `$${agentProfile(agent)!.projectDirVar}`;
  return [
    `b="${dir}/${bin}"`,
    `[ -x "$b" ] || b="$(git -C "${dir}" rev-parse --path-format=absolute --git-common-dir)/../${bin}"`,
    `"$b" guard --agent ${agent} ${GUARD_MARK}`,
  ].join('; ');
}

export const claudeGuardCommand = (bin: string): string => guardCommand(bin, 'claude');
