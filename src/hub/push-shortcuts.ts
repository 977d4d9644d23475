// What a hub transaction's push may leave out, each only when it is certain to change nothing.
// 1. The pre-push hook, when git would run nothing but our own line, which exits at once for
// a commit this process judged (hooks/run.sh, AGENT_SESSIONS_PUSH_JUDGED). Then the push skips
// hooks (`--no-verify`): the husky shim alone is half a dozen sh,
// dirname and basename processes per push, paid on every attempt of a claim race. Anything
// else (another hook manager, a project command in .husky/pre-push, core.hooksPath from the
// environment, an include, a per-worktree config, a runner that is not this package's)
// answers false, and the hooks run as always. Read from files only: no git process.
// 2. The `ls-remote` that confirms a win, when git's porcelain report of the push says it.
// 3. The post-merge hook of the local main's fast-forward and the post-checkout hook of a new
// session worktree, on the same terms (our line exits at once there: AGENT_SESSIONS_CHECKOUT_DONE),
// and only when no other hook those commands may run exists (reference-transaction,
// post-index-change): `noHooksConfig` (git -c core.hooksPath=/dev/null). Each husky shim
// chain skipped is about 10 ms of CPU, paid by every agent of a claim race.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { commonDirOf, gitDirOf } from '../git.ts';
import { packageRoot } from '../package-root.ts';
import { readBounded } from '../safe-fs.ts';

/** husky 9's shim in core.hooksPath, the same for every hook. */
const HUSKY_SHIM = /^#!\/usr\/bin\/env sh\n\. "\$\(dirname "\$0"\)\/h"\n?$/;
/** Our line in `.husky/<hook>` (hooks-install.ts `shimText`, kept equal by a test). */
const AS_RUN = /^as_run=(?:"\$\(dirname "\$0"\)\/([^"$`\\]+)"|"(\/[^"$`\\]+)")\/hooks\/run\.sh$/;
const runLine = (hook: string) =>
  `if [ -f "$as_run" ]; then sh "$as_run" ${hook} "$@" || exit $?; else echo "agent-sessions: not installed ($as_run missing); ${hook} checks skipped. Run npm install." >&2; fi`;
/** Hooks git may run besides the named one while it updates refs, the index or the work tree. */
const SIDE_HOOKS = ['reference-transaction', 'post-index-change'];
/** Far larger than a shim or husky's runner. */
const HOOK_FILE_MAX_BYTES = 1024 * 1024;

/** core.hooksPath from the repository's own config file, when nothing else can set it. */
function localHooksPath(commonDir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(commonDir, 'config'), 'utf8');
  } catch {
    return undefined;
  }
  let section = '';
  let found: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    // A value continued on the next line (`\` at the end) hides that line's key from git.
    if (line.endsWith('\\')) return undefined;
    const header = /^\[\s*([A-Za-z0-9.-]+)(\s+"[^"]*")?\s*\](.*)$/.exec(line);
    if (header) {
      // `[core "x"]` is core.x.*, not core.*; and git reads a key after `]` on the same
      // line (`[core] hooksPath = elsewhere`): not parsed here, so not skipped.
      section = header[2] === undefined ? header[1]!.toLowerCase() : `${header[1]!.toLowerCase()} subsection`;
      if (section.startsWith('include')) return undefined;
      const rest = header[3]!.trim();
      if (rest !== '' && !rest.startsWith('#') && !rest.startsWith(';')) return undefined;
      continue;
    }
    const entry = /^hookspath\s*=\s*(.*)$/i.exec(line);
    if (section === 'core' && entry) found = entry[1]!.replace(/^"(.*)"$/, '$1');
  }
  return found && !/[\\";#]/.test(found) ? found : undefined;
}

/**
 * A hook file's text: .husky/ is committed, so never through a link (git would run what it
 * points at, which is not judged here), never a FIFO or a device, bounded. Throws otherwise.
 */
function hookText(file: string): string {
  const text = readBounded(file, HOOK_FILE_MAX_BYTES, () => new Error('not a plain file'));
  if (text === undefined) throw new Error('missing');
  return text;
}

export function prePushIsOnlyOurs(root: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return hookIsOnlyOurs(root, 'pre-push', env);
}

/**
 * True when git, running `hook` in `root`, would run nothing but our line of `.husky/<hook>`.
 * `elsewhere`: the hook runs in another work tree (a new worktree's post-checkout), where a
 * relative core.hooksPath would point into that tree: only an absolute one is read then.
 */
export function hookIsOnlyOurs(root: string, hook: string, env: NodeJS.ProcessEnv = process.env, sideHooks: readonly string[] = [], elsewhere = false): boolean {
  try {
    // GIT_WORK_TREE moves where a relative hooksPath points; GIT_COMMON_DIR which config is read.
    if (env.GIT_CONFIG_PARAMETERS || env.GIT_CONFIG_COUNT || env.GIT_DIR || env.GIT_CONFIG || env.GIT_WORK_TREE || env.GIT_COMMON_DIR) return false;
    // doctor's probe notes every hook that runs (hooks/run.sh): nothing is left out under it.
    if (env.AGENT_SESSIONS_PROBE) return false;
    // husky's runner sources the user's own init.sh before every hook: a --no-verify push
    // would skip it.
    const userConfig = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, '.config') : undefined);
    if (userConfig === undefined || existsSync(join(userConfig, 'husky', 'init.sh'))) return false;
    const gitDir = gitDirOf(root, env);
    if (existsSync(join(gitDir, 'config.worktree'))) return false;
    const hooksPath = localHooksPath(commonDirOf(gitDir));
    if (!hooksPath || (elsewhere && !isAbsolute(hooksPath))) return false;
    const hooks = isAbsolute(hooksPath) ? hooksPath : resolve(root, hooksPath);
    if (!HUSKY_SHIM.test(hookText(join(hooks, hook)))) return false;
    if (sideHooks.some((side) => existsSync(join(hooks, side)))) return false;
    // The runner the shim sources must be husky's own, unchanged (it is a copy of its `husky`).
    const huskyRunner = join(dirname(createRequire(import.meta.url).resolve('husky')), 'husky');
    if (hookText(join(hooks, 'h')) !== readFileSync(huskyRunner, 'utf8')) return false;
    const husky = resolve(hooks, '..');
    const lines = hookText(join(husky, hook))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const runner = lines.length === 2 && lines[1] === runLine(hook) ? AS_RUN.exec(lines[0]!) : null;
    if (!runner) return false;
    const runSh = runner[1] !== undefined ? join(husky, runner[1], 'hooks', 'run.sh') : join(runner[2]!, 'hooks', 'run.sh');
    return realpathSync(runSh) === realpathSync(join(packageRoot(), 'hooks', 'run.sh'));
  } catch {
    return false;
  }
}

/**
 * prePushIsOnlyOurs, read again for every push (a few small file reads): a long-lived process
 * (the MCP server) must see a team's pre-push line or hook manager added since its last push.
 */
export function onlyOurPrePush(cwd: string): boolean {
  return prePushIsOnlyOurs(cwd);
}

/**
 * `-c core.hooksPath=/dev/null` for a git command in `root` whose only hook, `hook`, would run
 * nothing but our line, which exits at once for the checkout or fast-forward this process
 * makes (AGENT_SESSIONS_CHECKOUT_DONE, hooks/run.sh); none otherwise (the hooks run as always).
 */
export function noHooksConfig(root: string, hook: 'post-merge' | 'post-checkout'): string[] {
  return hookIsOnlyOurs(root, hook, process.env, SIDE_HOOKS, hook === 'post-checkout') ? ['-c', 'core.hooksPath=/dev/null'] : [];
}

/**
 * True when `git push --porcelain` reports the hub's main set to `commit`: the line for
 * `<commit>:refs/heads/<main>` is a fast-forward `<old>..<new>` with `new` our commit, a new
 * branch, or already up to date. That is what receive-pack answered for the ref update itself
 * (it reports "ok" only once the ref is written), so no ls-remote is needed to confirm it.
 */
export function hubReportsMain(porcelain: string, commit: string, mainBranch: string): boolean {
  const spec = `${commit}:refs/heads/${mainBranch}`;
  for (const line of porcelain.split('\n')) {
    const [flag, ref, summary = ''] = line.split('\t');
    if (ref !== spec || flag === undefined) continue;
    if (flag === '*' || flag === '=') return true;
    const updated = /^[0-9a-f]{4,}\.\.([0-9a-f]{4,})$/.exec(summary.trim());
    return flag === ' ' && updated !== null && commit.startsWith(updated[1]!);
  }
  return false;
}
