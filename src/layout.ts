// Where everything lives, from the config. Two forms of each path: repo-relative POSIX
// (what git and the rules speak) and absolute (what the file system speaks).
import { join, posix } from 'node:path';
import type { Config } from './config.ts';
import { checkedPath } from './safe-fs.ts';
import { STATES, type SessionState } from './states.ts';

export interface Layout {
  root: string;
  /** Repo-relative POSIX paths. */
  rel: {
    sessions: string;
    knowledge: string;
    worktrees: string;
    clones: string;
    lockFile: string;
    readme: string;
    bin: string;
    templates: string;
    state(state: SessionState): string;
    session(state: SessionState, slug: string): string;
    learnings(slug: string): string;
    learningsDir(slug: string): string;
  };
  abs(relPath: string): string;
  branch(slug: string): string;
}

export function makeLayout(root: string, config: Config): Layout {
  const { sessions, knowledge, worktrees, clones, lockFile } = config.paths;
  // Nothing is read or written through a link: a pushed config may point these folders
  // through a committed link (ext -> /home/you), and every command would then read (and
  // print) files from outside the repository. One lstat per folder level, once per command.
  for (const folder of [sessions, knowledge, posix.dirname(lockFile), ...STATES.map((state) => `${sessions}/${state}`)]) {
    if (folder !== '.') checkedPath(root, join(root, ...folder.split('/')));
  }
  return {
    root,
    rel: {
      sessions,
      knowledge,
      worktrees,
      clones,
      lockFile,
      readme: `${sessions}/SESSIONS-README.md`,
      bin: `${sessions}/_bin`,
      templates: `${sessions}/_templates`,
      state: (state) => `${sessions}/${state}`,
      session: (state, slug) => `${sessions}/${state}/${slug}`,
      learningsDir: (slug) => `${knowledge}/sessions/${slug}`,
      learnings: (slug) => `${knowledge}/sessions/${slug}/learnings.md`,
    },
    abs: (relPath) => join(root, ...relPath.split('/')),
    branch: (slug) => `${config.git.branchPrefix}${slug}`,
  };
}

export const STATE_FOLDERS = STATES;
