// `agent-sessions install-server-hook <bare-repo>`: makes a bare hub enforce the protocol
// with a pre-receive hook, without npm in that repository. It COPIES the self-contained
// dist/hook.cjs (and the small loader that starts it with a code cache, dist/hook-loader.cjs)
// into the hub's hooks folder (so the hub keeps working if this package is
// moved, upgraded or removed; re-run the command to upgrade) and writes a small sh
// `pre-receive` that runs it with the node that ran the installer, falling back to `node`
// on PATH. An existing pre-receive that is not ours is never overwritten.
// It also PINS the hub's policy (src/policy/pin.ts): the config read from the guarded branch,
// and digests of _templates/ and _bin/, recorded in the hub's git directory. pre-receive
// judges with that record only, so a pushed policy change takes effect when an admin runs
// this command again on the hub (docs/SECURITY.md, "The hub's policy is pinned").
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Command } from '../cli/command.ts';
import { GitError, RefusedError, UsageError } from '../errors.ts';
import { gitSync } from '../git.ts';
import { packageRoot } from '../package-root.ts';
import { pinHubPolicy, type PinResult } from '../policy/pin.ts';
import { ruleIds } from '../../rules/index.ts';
import { shellQuote } from '../sessions.ts';

/** Where each kind of server runs a repository's pre-receive from. */
export type ServerLayout = 'plain' | 'gitlab' | 'gitea' | 'gitolite';
export const SERVER_LAYOUTS: readonly ServerLayout[] = ['plain', 'gitlab', 'gitea', 'gitolite'];

export interface InstallServerHookOptions {
  repo: string;
  cwd?: string;
  /** plain: hooks/pre-receive; gitlab: custom_hooks/pre-receive.d/; gitea (and Forgejo):
   * hooks/pre-receive.d/; gitolite: a repo-specific hook in LOCAL_CODE (see --hooks-dir). */
  layout?: ServerLayout;
  /** Overrides the folder the hook is written to (gitolite: LOCAL_CODE/hooks/repo-specific). */
  hooksDir?: string;
  /** The branch to read the policy from (default: the hub's HEAD, then the branch its config guards). */
  branch?: string;
  /** Only (re-)pin the policy; leave the hooks alone (a hand-written hook calling `agent-sessions hook pre-receive`). */
  pinOnly?: boolean;
}

export interface InstallServerHookResult {
  repo: string;
  layout: ServerLayout;
  hook: string;
  runner: string;
  replaced: boolean;
  policy: PinResult;
  /** What is left for the admin to do (gitolite: the line for gitolite.conf). */
  next?: string;
}

/** The hook file and the runner's folder for a layout. The runner never sits in a `.d`
 * folder: GitLab and Gitea run every executable there, and a runner is not a hook. */
function placeFor(layout: ServerLayout, repo: string, gitHooks: string, hooksDir: string | undefined): { hook: string; runnerDir: string } {
  switch (layout) {
    case 'gitlab': {
      const dir = hooksDir ?? join(repo, 'custom_hooks', 'pre-receive.d');
      return { hook: join(dir, 'agent-sessions'), runnerDir: hooksDir ?? join(repo, 'custom_hooks') };
    }
    case 'gitea': {
      const dir = hooksDir ?? join(gitHooks, 'pre-receive.d');
      return { hook: join(dir, 'agent-sessions'), runnerDir: hooksDir ?? gitHooks };
    }
    case 'gitolite': {
      const dir = hooksDir ?? gitoliteRepoSpecificDir();
      return { hook: join(dir, 'agent-sessions-pre-receive'), runnerDir: dir };
    }
    default: {
      const dir = hooksDir ?? gitHooks;
      return { hook: join(dir, 'pre-receive'), runnerDir: dir };
    }
  }
}

/**
 * gitolite's folder of repo-specific hooks, `$LOCAL_CODE/hooks/repo-specific`, as gitolite
 * itself reports LOCAL_CODE (`gitolite query-rc`, run as the gitolite user). Without gitolite
 * on PATH (or without a ~/.gitolite.rc), the folder under `$rc{GL_ADMIN_BASE}/local`
 * (~/.gitolite/local), one of the two places gitolite's rc suggests.
 */
function gitoliteRepoSpecificDir(): string {
  const fallback = join(process.env.HOME ?? '~', '.gitolite', 'local', 'hooks', 'repo-specific');
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const asked = spawnSync('gitolite', ['query-rc', 'LOCAL_CODE'], { encoding: 'utf8', timeout: 10_000 });
  if (asked.error || asked.status !== 0) return fallback;
  const localCode = asked.stdout.trim();
  if (localCode && !isAbsolute(localCode)) {
    throw new RefusedError('gitolite-local-code', `gitolite's LOCAL_CODE is "${localCode}", not an absolute path`, {
      fix: `set LOCAL_CODE => "$ENV{HOME}/local" in ~/.gitolite.rc (or pass --hooks-dir with the folder gitolite reads repo-specific hooks from)`,
    });
  }
  if (!localCode) {
    throw new RefusedError('gitolite-local-code', 'gitolite has no LOCAL_CODE, so it runs no repo-specific hooks', {
      fix: `in ~/.gitolite.rc, uncomment LOCAL_CODE => "$ENV{HOME}/local" and 'repo-specific-hooks' in ENABLE, then run install-server-hook again (or pass --hooks-dir)`,
    });
  }
  return join(localCode, 'hooks', 'repo-specific');
}

export const SERVER_MARKER = '# agent-sessions: server hook';
export const RUNNER_NAME = 'agent-sessions-hook.cjs';
/** Beside the runner: the loader the hook starts (src/hooks/server-loader.ts) and its code cache. */
export const LOADER_NAME = 'agent-sessions-hook-loader.cjs';
export const CACHE_SUFFIX = '.v8cache';

/**
 * The hub's pre-receive. It names its runner (the loader beside it) by absolute path: on
 * gitolite (and wherever a hook is a link into another folder) `dirname "$0"` is the
 * repository's hooks folder, not the folder the runner was copied to.
 */
export function serverHookScript(node: string, runner: string): string {
  return `#!/bin/sh
${SERVER_MARKER} (written by \`agent-sessions install-server-hook\`; re-run it to upgrade)
# Judges every push to main and to session branches; refusals reach the pusher as remote: lines.
node=${shellQuote(node)}
[ -x "$node" ] || node=node
# The hook opens no TLS connection, and Node loads NODE_EXTRA_CA_CERTS as it starts (40 ms for a system bundle).
unset NODE_EXTRA_CA_CERTS
exec "$node" ${shellQuote(runner)} pre-receive "$@"
`;
}

export async function installServerHook(options: InstallServerHookOptions): Promise<InstallServerHookResult> {
  const repo = isAbsolute(options.repo) ? options.repo : resolve(options.cwd ?? process.cwd(), options.repo);
  if (!existsSync(repo)) throw new UsageError('no-such-repo', `no repository at ${repo}`, { fix: 'pass the path of the bare hub, e.g. /srv/git/project.git' });
  let bare: string;
  let hooksDir: string;
  try {
    bare = gitSync(['rev-parse', '--is-bare-repository'], { cwd: repo }).trim();
    hooksDir = gitSync(['rev-parse', '--git-path', 'hooks'], { cwd: repo }).trim();
  } catch (err) {
    // As root (or any other user) in someone else's repository, git refuses with "dubious
    // ownership": say that, with git's own fix, instead of "not a git repository".
    const said = err instanceof GitError ? err.stderr : '';
    if (/dubious ownership/.test(said)) {
      throw new RefusedError('dubious-ownership', `git refuses to read ${repo}: it belongs to another user (dubious ownership)`, {
        fix: `run install-server-hook as the user that owns the hub, or trust it: git config --global --add safe.directory ${shellQuote(repo)}`,
      });
    }
    throw new UsageError('not-a-repo', `${repo} is not a git repository`, { fix: 'pass the path of the bare hub (git init --bare creates one)' });
  }
  if (bare !== 'true') {
    throw new UsageError('not-bare', `${repo} is not a bare repository`, { fix: 'install the server hook in the hub everyone pushes to (a bare repository); clients use `agent-sessions install-hooks`' });
  }
  if (options.pinOnly) {
    return { repo, layout: options.layout ?? 'plain', hook: '', runner: '', replaced: false, policy: pinHubPolicy(repo, ruleIds, options.branch ? { branch: options.branch } : {}) };
  }
  if (!isAbsolute(hooksDir)) hooksDir = resolve(repo, hooksDir);
  const layout = options.layout ?? 'plain';
  if (!SERVER_LAYOUTS.includes(layout)) {
    throw new UsageError('bad-layout', `unknown server layout "${layout}"`, { fix: `pass one of: ${SERVER_LAYOUTS.join(', ')}` });
  }
  const source = join(packageRoot(), 'dist', 'hook.cjs');
  const loaderSource = join(packageRoot(), 'dist', 'hook-loader.cjs');
  const missing = [source, loaderSource].find((file) => !existsSync(file));
  if (missing) throw new UsageError('not-built', `${missing} is missing`, { fix: 'build the package first: npm run build' });
  const explicitDir = options.hooksDir ? resolve(options.cwd ?? process.cwd(), options.hooksDir) : undefined;
  const { hook, runnerDir } = placeFor(layout, repo, hooksDir, explicitDir);
  mkdirSync(dirname(hook), { recursive: true });
  mkdirSync(runnerDir, { recursive: true });
  // A gitolite repository (its update hook is a link to gitolite's) gets its hooks from
  // gitolite: a pre-receive written straight into it is not how gitolite wants it.
  if (layout === 'plain' && !explicitDir && gitoliteManaged(hooksDir)) {
    throw new RefusedError('gitolite-repo', `${repo} is managed by gitolite (hooks/update links to gitolite's own hook): its hooks come from gitolite`, {
      fix: `agent-sessions install-server-hook ${shellQuote(repo)} --layout gitolite`,
    });
  }
  let replaced = false;
  if (existsSync(hook) || isLink(hook)) {
    const current = isLink(hook) ? '' : readFileSync(hook, 'utf8');
    // Ours only when its second line is our marker: a wrapper that merely mentions it is not.
    if (!(current.split('\n')[1] ?? '').startsWith(SERVER_MARKER)) {
      // A link in the repository's own hooks folder is gitolite's; anywhere else (gitolite's
      // repo-specific folder included) it is something we never write through.
      const gitoliteLink = isLink(hook) && layout === 'plain' && !explicitDir;
      throw new RefusedError('hook-exists', `${hook} exists and was not written by agent-sessions${gitoliteLink ? ' (a link: gitolite keeps its own hooks here; use --layout gitolite)' : isLink(hook) ? ' (a link: agent-sessions never writes through one)' : ''}`, {
        fix: gitoliteLink
          ? `agent-sessions install-server-hook ${shellQuote(repo)} --layout gitolite`
          : `move it aside (mv ${shellQuote(hook)} ${shellQuote(`${hook}.local`)}) and run install-server-hook again; call the old one from a wrapper if you still need it`,
      });
    }
    replaced = true;
  }
  // Pin first: a policy that does not validate leaves the hub (and its old pin) as it was.
  const policy = pinHubPolicy(repo, ruleIds, options.branch ? { branch: options.branch } : {});
  const runner = join(runnerDir, RUNNER_NAME);
  // Never through a link left at the runner's name: replace the link itself.
  if (isLink(runner)) rmSync(runner);
  copyFileSync(source, runner);
  chmodSync(runner, 0o644);
  const loader = join(runnerDir, LOADER_NAME);
  if (isLink(loader)) rmSync(loader);
  copyFileSync(loaderSource, loader);
  chmodSync(loader, 0o644);
  // The old runner's code cache: the loader would not use it (it names the runner it was made
  // from), but it is of no use either; the first push after this makes the new one.
  rmSync(`${runner}${CACHE_SUFFIX}`, { force: true });
  writeFileSync(hook, serverHookScript(process.execPath, loader));
  chmodSync(hook, 0o755);
  warmCodeCache(loader, repo);
  const next =
    layout === 'gitolite'
      ? `enable repo-specific-hooks in ~/.gitolite.rc (ENABLE list), then in gitolite.conf for this repository: option hook.pre-receive = agent-sessions-pre-receive (and push gitolite-admin)`
      : undefined;
  return { repo, layout, hook, runner, replaced, policy, ...(next ? { next } : {}) };
}

/**
 * Makes the runner's code cache now, so that the hub's first push (a whole history, the
 * slowest push it will see) does not pay for compiling the runner: the loader run once with no
 * refs loads the pre-receive and its rules (most of what a push compiles), judges nothing and
 * writes the cache as it exits. Best effort: without a cache the first push makes one.
 */
function warmCodeCache(loader: string, repo: string): void {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  spawnSync(process.execPath, [loader, 'pre-receive'], { cwd: repo, input: '', stdio: ['pipe', 'ignore', 'ignore'], timeout: 30_000 });
}

/** gitolite links every repository's hooks/update to its own (`$GL_ADMIN_BASE/hooks/common/update`). */
function gitoliteManaged(gitHooks: string): boolean {
  const update = join(gitHooks, 'update');
  if (!isLink(update)) return false;
  try {
    return /(^|\/)hooks\/common\/update$/.test(readlinkSync(update));
  } catch {
    return false;
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export const command: Command<InstallServerHookOptions, InstallServerHookResult> = {
  run: installServerHook,
  text: (r) =>
    [
      ...(r.hook
        ? [`agent-sessions install-server-hook: ${r.replaced ? 'upgraded' : 'installed'} ${r.hook}`, `  runner  ${r.runner} (a copy of dist/hook.cjs; needs Node >= 20 on the hub, no npm)`]
        : [`agent-sessions install-server-hook --pin-only: the hooks of ${r.repo} are left as they are`]),
      `  policy  pinned from ${r.policy.source}${r.policy.commit ? ` at ${r.policy.branch} ${r.policy.commit.slice(0, 12)}` : ''} into ${r.policy.file}`,
      ...(r.policy.changed === undefined ? [] : [r.policy.changed.length ? `  changed since the last pin: ${r.policy.changed.join(', ')}` : '  unchanged since the last pin']),
      ...r.policy.notes.map((note) => `  note    ${note}`),
      `  pushes to ${r.policy.branch} and to session branches are now judged with the pinned policy; refusals reach the pusher as remote: lines`,
      `  a pushed change to the policy takes effect here only when this command is run again`,
      ...(r.next ? [`  next    ${r.next}`] : []),
    ].join('\n'),
};
