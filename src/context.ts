// Opening a repository for a command: its top level, its validated config and layout.
import { ruleIds } from '../rules/index.ts';
import type { Config } from './config.ts';
import { loadHookConfig } from './engine/hook-config.ts';
import { UsageError } from './errors.ts';
import { findTopLevel, Git } from './git.ts';
import { makeLayout, type Layout } from './layout.ts';

export interface RepoContext {
  root: string;
  config: Config;
  layout: Layout;
  git: Git;
}

export interface CommonOptions {
  /** Where to act; default process.cwd(). */
  cwd?: string;
}

export function requireTopLevel(cwd: string): string {
  const root = findTopLevel(cwd);
  if (!root) {
    throw new UsageError('not-a-repo', `not inside a git work tree: ${cwd}`, {
      fix: 'cd into your repository (or run `git init` first)',
    });
  }
  return root;
}

/**
 * The repository of `options.cwd` with its validated config. The validation (zod) is cached
 * by the config's exact text, as for the hooks: a command whose config did not change since
 * the last run does not load the validator (a sixth of a short command's start-up).
 */
export async function openRepo(options: CommonOptions = {}): Promise<RepoContext> {
  const cwd = options.cwd ?? process.cwd();
  const root = requireTopLevel(cwd);
  const config = await loadHookConfig(root, ruleIds);
  const layout = makeLayout(root, config);
  let git: Git | undefined;
  return {
    root,
    config,
    layout,
    get git() {
      git ??= new Git(root);
      return git;
    },
  };
}
