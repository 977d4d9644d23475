// simple-git-hooks: each hook is one shell command line in package.json's "simple-git-hooks"
// (or .simple-git-hooks.json); ours is chained after the team's with `&&`, so both run and
// either refuses. `npx simple-git-hooks` then writes .git/hooks, which it does only while no
// core.hooksPath points elsewhere (why init leaves core.hooksPath alone in this mode).
import { safeWriteFile } from '../safe-fs.ts';
import { join } from 'node:path';
import { RefusedError, UsageError } from '../errors.ts';
import { CLIENT_HOOKS, runnerWord, readManagerConfig, type ClientHook } from './entries.ts';

export function simpleGitHooksCommand(hook: ClientHook, runner: string): string {
  return `sh ${runnerWord(runner)} ${hook} "$@"`;
}

/** Adds our command to every hook of the config at `top/file`; returns whether it changed. */
export function addToSimpleGitHooks(top: string, file: string, runner: string): boolean {
  if (!file.endsWith('.json')) {
    const lines = CLIENT_HOOKS.map((hook) => `"${hook}": "${simpleGitHooksCommand(hook, runner).replace(/"/g, '\\"')}"`);
    throw new RefusedError('hook-manager-config', `${file} is code; agent-sessions edits only package.json or .simple-git-hooks.json`, {
      fix: `add our command to each hook in ${file} (after the team's, joined with &&), then run \`npx simple-git-hooks\`: ${lines.join(', ')}`,
    });
  }
  const path = join(top, file);
  const text = readManagerConfig(top, file);
  const fix = `make "simple-git-hooks" in ${file} an object of hook name -> command line (strings), then run \`agent-sessions install-hooks\``;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError('bad-hook-manager-config', `${file}: does not parse as JSON: ${(err as Error).message.split('\n')[0]}`, { fix: `repair ${file}, then run \`agent-sessions install-hooks\`` });
  }
  const hooks = (file === 'package.json' ? data?.['simple-git-hooks'] : data) as Record<string, unknown> | undefined;
  if (!hooks || typeof hooks !== 'object' || Array.isArray(hooks)) throw new UsageError('bad-hook-manager-config', `${file}: the simple-git-hooks config is not an object`, { fix });
  // A hook that is not a command line would be dropped by our edit: refused instead.
  const odd = CLIENT_HOOKS.find((hook) => hooks[hook] !== undefined && hooks[hook] !== null && typeof hooks[hook] !== 'string');
  if (odd) throw new UsageError('bad-hook-manager-config', `${file}: the "${odd}" hook is not a command line (a string)`, { fix });
  let changed = false;
  for (const hook of CLIENT_HOOKS) {
    const ours = simpleGitHooksCommand(hook, runner);
    const theirs = typeof hooks[hook] === 'string' ? (hooks[hook] as string) : '';
    if (theirs.includes(ours)) continue;
    hooks[hook] = theirs.trim() ? `${theirs.trim()} && ${ours}` : ours;
    changed = true;
  }
  if (changed) {
    const indent = /^\{\n(\s+)/.exec(text)?.[1] ?? '  ';
    safeWriteFile(top, path, `${JSON.stringify(data, null, indent)}\n`);
  }
  return changed;
}
