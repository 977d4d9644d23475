// Test fixtures: real git repositories in temp folders, a real bare hub, and the built CLI
// run as a child process. No git is mocked anywhere.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTemp } from './temp.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');
export const HOOK_RUNNER = join(PROJECT_ROOT, 'dist', 'hook.cjs');

// Every git run by a test (and by the CLI it starts) sees this config, never the machine's.
const globalConfigDir = makeTemp('as-gitconfig-');
const globalConfig = join(globalConfigDir, 'gitconfig');
writeFileSync(
  globalConfig,
  ['[user]', '\tname = Test Planner', '\temail = planner@example.test', '[init]', '\tdefaultBranch = main', '[advice]', '\tdetachedHead = false', '[protocol "file"]', '\tallow = always', ''].join('\n'),
);
process.env.GIT_CONFIG_GLOBAL = globalConfig;
process.env.GIT_CONFIG_NOSYSTEM = '1';
delete process.env.SESSION_SLUG;
delete process.env.AGENT_SESSIONS;
delete process.env.GIT_DIR;
delete process.env.GIT_INDEX_FILE;

/** A temp folder removed after the test file (test/helpers/temp.ts). */
export function tempDir(prefix = 'as-test-'): string {
  return makeTemp(prefix);
}

/** Runs git; returns stdout; throws with stderr on failure. */
export function git(cwd: string, ...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${e.stderr ?? e.message}`);
  }
}

/** Runs git and returns status, stdout and stderr without throwing. */
export function gitTry(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when --json was passed. */
  json?: any;
}

export function runCli(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    input: options.input,
    timeout: options.timeout ?? 120_000,
    env: { ...process.env, ...options.env },
  });
  const out: CliResult = { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  if (args.includes('--json')) {
    try {
      out.json = JSON.parse(result.stdout);
    } catch {
      /* leave undefined: the test will say so */
    }
  }
  return out;
}

/** Makes node_modules/agent-sessions in `dir` point at this project (like `npm link`). */
export function linkPackage(dir: string): void {
  const target = join(dir, 'node_modules', 'agent-sessions');
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(PROJECT_ROOT, target, 'dir');
  const bin = join(dir, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(CLI, join(bin, 'agent-sessions'));
}

export interface Repo {
  dir: string;
  git(...args: string[]): string;
  cli(args: string[], options?: { env?: NodeJS.ProcessEnv; input?: string }): CliResult;
  write(rel: string, content: string): void;
  read(rel: string): string;
  exists(rel: string): boolean;
  /** Stages and commits paths with a message, hooks running; returns the git result. */
  commit(message: string, paths?: string[], env?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
}

export function repoAt(dir: string): Repo {
  return {
    dir,
    git: (...args) => git(dir, ...args),
    cli: (args, options) => runCli(dir, args, options),
    write: (rel, content) => {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), content);
    },
    read: (rel) => readFileSync(join(dir, rel), 'utf8'),
    exists: (rel) => existsSync(join(dir, rel)),
    commit: (message, paths, env = {}) => {
      if (paths?.length) git(dir, 'add', '--', ...paths);
      return gitTry(dir, ['commit', '-q', '-m', message], env);
    },
  };
}

export interface MakeRepoOptions {
  /** Run `agent-sessions init` and commit the layout as a [maint] commit (default true). */
  init?: boolean;
  /** Link the package into node_modules (default true). */
  link?: boolean;
}

/** A fresh repository with one commit; by default initialised and the layout committed. */
export function makeRepo(options: MakeRepoOptions = {}): Repo {
  const dir = tempDir('as-repo-');
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), '# test repo\n');
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n');
  git(dir, 'add', 'README.md', '.gitignore');
  git(dir, 'commit', '-q', '--no-verify', '-m', 'initial commit');
  if (options.link !== false) linkPackage(dir);
  const repo = repoAt(dir);
  if (options.init !== false) {
    const result = repo.cli(['init']);
    if (result.code !== 0) throw new Error(`init failed: ${result.stderr}`);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--no-verify', '-m', '[maint] chore: adopt agent-sessions');
  }
  return repo;
}

/** A bare hub seeded from `repo` (main pushed), with `origin` set in `repo`. */
export function makeHub(repo: Repo): string {
  const hub = join(tempDir('as-hub-'), 'hub.git');
  git(dirname(hub), 'init', '-q', '--bare', '-b', 'main', hub);
  repo.git('remote', 'add', 'origin', hub);
  repo.git('push', '-q', '--no-verify', 'origin', 'main');
  repo.git('branch', '-q', '--set-upstream-to=origin/main', 'main');
  return hub;
}

/** A clone of the hub for one agent, with the package linked and hooks installed. */
export function cloneAgent(hub: string, name: string): Repo {
  const dir = join(tempDir(`as-agent-${name}-`), 'work');
  git(dirname(dir), 'clone', '-q', hub, dir);
  git(dir, 'config', 'user.name', name);
  git(dir, 'config', 'user.email', `${name}@example.test`);
  linkPackage(dir);
  const repo = repoAt(dir);
  const result = repo.cli(['install-hooks']);
  if (result.code !== 0) throw new Error(`install-hooks failed: ${result.stderr}`);
  return repo;
}

/** Byte-level snapshot of a work tree (excluding .git and node_modules) for "nothing changed" checks. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: dir, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    try {
      // a link is recorded as a link: following one to /dev/zero would never end
      const path = join(dir, file);
      out[file] = lstatSync(path).isSymbolicLink() ? `<symlink> ${readlinkSync(path)}` : readFileSync(path).toString('base64');
    } catch {
      out[file] = '<unreadable>';
    }
  }
  out['<index>'] = execFileSync('git', ['ls-files', '-s'], { cwd: dir, encoding: 'utf8' });
  out['<HEAD>'] = spawnSync('git', ['rev-parse', '-q', '--verify', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout;
  return out;
}
