// The shell lines the agents run to reach the guard. No npx (a network fetch on every tool
// call): the project's own bin. A session worktree has no node_modules of its own, so when the
// bin is not where the checkout's root says, we look in the main worktree (the parent of git's
// common dir). The trailing comment marks an entry as ours, for re-runs and for doctor.
import { GUARD_MARK, guardCommand } from '../guard/install.ts';

export { GUARD_MARK };

/** For agents that export their project dir to hooks (Claude Code, Gemini CLI). */
export const projectDirCommand = (bin: string, agent: 'claude' | 'gemini'): string => guardCommand(bin, agent);

/** For agents that run hooks inside the project but name no variable for it. */
export function gitRootCommand(bin: string, agent: string, from = ''): string {
  const git = from ? `git -C "${from}"` : 'git';
  return [
    `r="$(${git} rev-parse --show-toplevel)"`,
    `b="$r/${bin}"`,
    `[ -x "$b" ] || b="$(${git} rev-parse --path-format=absolute --git-common-dir)/../${bin}"`,
    `"$b" guard --agent ${agent} ${GUARD_MARK}`,
  ].join('; ');
}

/** The bin a command written by init points at, relative to the repository root. */
export function binOf(command: string): string | undefined {
  if (!command.includes(GUARD_MARK)) return undefined;
  const match = /b="\$(?:[A-Z_]+_PROJECT_DIR|r)\/([^"]+)"|guard bin: (\S+)/.exec(command);
  return match?.[1] ?? match?.[2];
}
