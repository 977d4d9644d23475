// Which hook manager a repository already runs, so that init joins it instead of taking
// core.hooksPath over (which silently switches lefthook, pre-commit and simple-git-hooks off:
// they install into .git/hooks, and git stops looking there once core.hooksPath is set).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gitSync } from '../git.ts';
import { readManagerConfig } from './read-config.ts';

export type HookManagerName = 'husky' | 'lefthook' | 'pre-commit' | 'simple-git-hooks' | 'hooks-path';

export interface DetectedManager {
  name: HookManagerName;
  /** The manager's config file, repo-relative (lefthook.yml, .pre-commit-config.yaml, package.json...). */
  config?: string;
  /** core.hooksPath as set in the repository (local config), when it is set. */
  hooksPath?: string;
  /** Other managers seen besides the chosen one (reported, never silently dropped). */
  alsoSeen: HookManagerName[];
}

export const LEFTHOOK_FILES = ['lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml', 'lefthook.json', '.lefthook.json', 'lefthook.toml', '.lefthook.toml', 'lefthook.jsonc', '.lefthook.jsonc'];
const PRE_COMMIT_FILES = ['.pre-commit-config.yaml', '.pre-commit-config.yml'];
const SIMPLE_GIT_HOOKS_FILES = ['.simple-git-hooks.json', 'simple-git-hooks.json', '.simple-git-hooks.cjs', 'simple-git-hooks.cjs', '.simple-git-hooks.js', 'simple-git-hooks.js', '.simple-git-hooks.mjs', 'simple-git-hooks.mjs'];

function firstExisting(top: string, names: readonly string[]): string | undefined {
  return names.find((name) => existsSync(join(top, name)));
}

function packageJsonHas(top: string, key: string): boolean {
  try {
    const pkg = JSON.parse(readManagerConfig(top, 'package.json')) as Record<string, unknown>;
    return pkg[key] !== undefined;
  } catch {
    return false;
  }
}

/** core.hooksPath from the repository's own config (not the user's global one). */
export function localHooksPath(top: string): string | undefined {
  try {
    return gitSync(['config', '--local', '--get', 'core.hooksPath'], { cwd: top, okCodes: [1] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A hooksPath that husky (ours or the team's) set: `.husky/_`, `.husky`, or an absolute path to one. */
export function isHuskyPath(path: string): boolean {
  return /(^|\/)\.husky(\/_)?\/?$/.test(path);
}

export function detectHookManager(top: string): DetectedManager {
  const seen: Array<{ name: HookManagerName; config?: string }> = [];
  const lefthook = firstExisting(top, LEFTHOOK_FILES);
  if (lefthook) seen.push({ name: 'lefthook', config: lefthook });
  const preCommit = firstExisting(top, PRE_COMMIT_FILES);
  if (preCommit) seen.push({ name: 'pre-commit', config: preCommit });
  const sgh = firstExisting(top, SIMPLE_GIT_HOOKS_FILES) ?? (packageJsonHas(top, 'simple-git-hooks') ? 'package.json' : undefined);
  if (sgh) seen.push({ name: 'simple-git-hooks', config: sgh });
  const hooksPath = localHooksPath(top);
  if (hooksPath && !isHuskyPath(hooksPath)) seen.push({ name: 'hooks-path', config: hooksPath });
  if (existsSync(join(top, '.husky')) || (hooksPath && isHuskyPath(hooksPath))) seen.push({ name: 'husky' });
  const chosen = seen[0] ?? { name: 'husky' as const };
  return {
    name: chosen.name,
    ...(chosen.config ? { config: chosen.config } : {}),
    ...(hooksPath ? { hooksPath } : {}),
    alsoSeen: seen.slice(1).map((s) => s.name),
  };
}
