// doctor's probe runs each hook once as git would, so whatever else the hook runs (a team's
// formatter that edits files, a test suite) would run too. Where the manager has a switch
// for it, the probe skips the team's own entries and keeps ours:
//   lefthook     LEFTHOOK_EXCLUDE=<names and tags of every other command, script and job>
//   pre-commit   SKIP=<id and alias of every other hook> (prek honours SKIP too)
// husky, simple-git-hooks and a team's own hooks folder put the team's commands in the same
// file or shell line as ours: nothing can skip them alone, and doctor says so.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import type { HookManagerName } from './detect.ts';
import { LEFTHOOK_FILES } from './detect.ts';
import { CLIENT_HOOKS, ENTRY_MARK } from './entries.ts';
import { CONFIG_LIMIT, readManagerConfig } from './read-config.ts';
import { readBounded } from '../safe-fs.ts';

export interface ProbeSkip {
  env: Record<string, string>;
  /** The team's own hook commands run with the probe (no way to skip them alone). */
  teamHooksRun: boolean;
}

const PRE_COMMIT_FILES = ['.pre-commit-config.yaml', '.pre-commit-config.yml'];
const LEFTHOOK_LOCAL = ['lefthook-local.yml', 'lefthook-local.yaml', '.lefthook-local.yml', '.lefthook-local.yaml'];

function readYaml(top: string, file: string): unknown {
  if (!existsSync(join(top, file))) return undefined;
  try {
    return parse(readManagerConfig(top, file), { maxAliasCount: 100 });
  } catch {
    return undefined; // unreadable: nothing to skip by name; the probe still proves our hooks
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
// A comma or a space would split or break the list lefthook and pre-commit read.
const usable = (name: unknown): name is string => typeof name === 'string' && name !== '' && !/[,\s]/.test(name);

function tagsOf(entry: unknown, into: Set<string>): void {
  if (!isObject(entry)) return;
  const tags = entry.tags;
  for (const tag of Array.isArray(tags) ? tags : typeof tags === 'string' ? tags.split(/[\s,]+/) : []) if (usable(tag)) into.add(tag);
}

/** Names (and tags) of every lefthook command, script and job that is not ours. */
function lefthookNames(config: unknown, into: Set<string>): void {
  if (!isObject(config)) return;
  for (const hook of Object.values(config)) {
    if (!isObject(hook)) continue;
    for (const kind of ['commands', 'scripts'] as const) {
      const entries = hook[kind];
      if (!isObject(entries)) continue;
      for (const [name, entry] of Object.entries(entries)) {
        if (name === ENTRY_MARK) continue;
        if (usable(name)) into.add(name);
        tagsOf(entry, into);
      }
    }
    const jobs = (list: unknown): void => {
      if (!Array.isArray(list)) return;
      for (const job of list) {
        if (!isObject(job)) continue;
        if (typeof job.run === 'string' && job.run.includes('agent-sessions')) continue;
        if (usable(job.name)) into.add(job.name);
        tagsOf(job, into);
        if (isObject(job.group)) jobs(job.group.jobs);
      }
    };
    jobs(hook.jobs);
  }
}

/** Whether a hook file (husky's, a team's hooks folder) runs anything besides our shim. */
function fileRunsMore(file: string): boolean {
  let text: string | undefined;
  try {
    // .husky/<hook> is committed: never read through a link, never a FIFO or a device, bounded
    text = readBounded(file, CONFIG_LIMIT, () => Object.assign(new Error('not a plain file'), { code: 'ENOTREG' }));
  } catch (err) {
    // what a link, a FIFO or a device runs is unknown here: count it as the team's own
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ELOOP' || code === 'ENOTREG';
  }
  if (text === undefined) return false;
  return text.split('\n').some((line) => {
    const code = line.trim();
    return code !== '' && !code.startsWith('#') && !code.startsWith('as_run=') && !code.startsWith('if [ -f "$as_run" ]') && !/^exit 0$/.test(code);
  });
}

/** Whether the team has hook commands of its own that the probe cannot avoid running. */
function teamHooksIn(top: string, manager: HookManagerName, hooksPath: string | undefined): boolean {
  if (manager === 'simple-git-hooks') {
    for (const file of ['.simple-git-hooks.json', 'simple-git-hooks.json', 'package.json']) {
      if (!existsSync(join(top, file))) continue;
      try {
        const data = JSON.parse(readManagerConfig(top, file)) as Record<string, unknown>;
        const hooks = file === 'package.json' ? data['simple-git-hooks'] : data;
        if (isObject(hooks)) return CLIENT_HOOKS.some((hook) => typeof hooks[hook] === 'string' && (hooks[hook] as string).includes('&&'));
      } catch {
        return true;
      }
    }
    return false;
  }
  const dir = manager === 'hooks-path' && hooksPath ? (isAbsolute(hooksPath) ? hooksPath : join(top, hooksPath)) : join(top, '.husky');
  return CLIENT_HOOKS.some((hook) => fileRunsMore(join(dir, hook)));
}

/** One environment string stays far below Linux's 128 KB per-string limit (E2BIG). */
const ENV_LIMIT = 32 * 1024;

/** The skip list in `variable`, unless it is too long for one environment string. */
function skipping(variable: string, names: Set<string>): ProbeSkip {
  if (names.size === 0) return { env: {}, teamHooksRun: false };
  const list = [...names].join(',');
  return list.length > ENV_LIMIT ? { env: {}, teamHooksRun: true } : { env: { [variable]: list }, teamHooksRun: false };
}

export function probeSkip(top: string, manager: HookManagerName, hooksPath?: string): ProbeSkip {
  if (manager === 'lefthook') {
    const names = new Set<string>();
    for (const file of [...LEFTHOOK_FILES.filter((f) => /\.ya?ml$/.test(f)), ...LEFTHOOK_LOCAL]) lefthookNames(readYaml(top, file), names);
    // LEFTHOOK_EXCLUDE matches tags as well as names: a team tag spelled like our command's
    // name would exclude ours too (and doctor would report it unreached).
    names.delete(ENTRY_MARK);
    return skipping('LEFTHOOK_EXCLUDE', names);
  }
  if (manager === 'pre-commit') {
    const ids = new Set<string>();
    for (const file of PRE_COMMIT_FILES) {
      const config = readYaml(top, file);
      const repos = isObject(config) && Array.isArray(config.repos) ? config.repos : [];
      for (const repo of repos) {
        if (!isObject(repo) || !Array.isArray(repo.hooks)) continue;
        for (const hook of repo.hooks) {
          if (!isObject(hook) || (typeof hook.id === 'string' && hook.id.startsWith(`${ENTRY_MARK}-`))) continue;
          if (usable(hook.id)) ids.add(hook.id);
          if (usable(hook.alias)) ids.add(hook.alias);
        }
      }
    }
    return skipping('SKIP', ids);
  }
  return { env: {}, teamHooksRun: teamHooksIn(top, manager, hooksPath) };
}
