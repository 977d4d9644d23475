// What the bin does for `check` and `check --all` (lean-args.ts, earlyCheckArgs) before it
// loads the full CLI: it starts the git processes the check's history walk asks for first
// (src/early-git.ts), so that git reads the history on the other core while Node loads
// commander, the config, the rules and the engine (~60 ms), instead of after:
//   - `--all`: the adoption search (walk-plan.ts's findAdoption: one path-limited
//     `rev-list --first-parent` of HEAD) and, as soon as it has answered, planWalk's
//     `rev-list --parents ^<adoption>^@ HEAD` (adoption-range.ts);
//   - both: the walk's `cat-file --batch` and its first `git log --stdin` (log-args.ts).
// The walk takes a process only when it asks for the very same arguments, working directory
// (the work tree's top level) and environment; the layout paths are read raw from the
// checkout's config, the way the hub's pre-receive reads its pinned policy
// (pre-receive-early.ts). A guess that is off (an unusual repository or config) costs a git
// process on the other core, never a different answer: the walk then starts its own, and
// what nobody took is killed when the command ends (entry.ts: dropEarlyGit).
// test/check-early.test.ts fails when these calls no longer match the walk's.
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILE } from '../config-file.ts';
import { startGitEarly } from '../early-git.ts';
import { layoutPathsOf } from '../early-layout.ts';
import { adoptionRecord, beforeAdoption } from '../engine/adoption-range.ts';
import { historyLogArgs } from '../engine/log-args.ts';
import { commonDirOf, gitDirOf } from '../git.ts';
import { PACKAGE_JSON } from '../policy/paths.ts';
import { noPromptUnlessInteractive } from '../remote.ts';

/** Variables that move git's repository discovery away from the working directory: no guess then. */
const DISCOVERY = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM'];
/** A config bigger than this is not read here (the CLI reads and judges it). */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** `git rev-parse --show-toplevel` as git would answer it for a plain work tree (or undefined). */
function topLevel(dir: string): string | undefined {
  let at = realpathSync(dir);
  for (;;) {
    try {
      lstatSync(join(at, '.git'));
      return at;
    } catch {
      const up = dirname(at);
      if (up === at) return undefined;
      at = up;
    }
  }
}

/** A regular file's JSON (no symlink, FIFO or device: those are for the CLI to judge); null when absent. */
function readJsonFile(file: string): unknown {
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    return null;
  }
  if (!stat.isFile() || stat.size > MAX_CONFIG_BYTES) throw new Error('not a plain file');
  const text = readFileSync(file, 'utf8');
  return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
}

/** The layout paths of the checkout's config (config.ts's loadConfig, unvalidated), or undefined. */
function checkoutLayout(root: string): { sessionsDir: string; lockPath: string } | undefined {
  const file = readJsonFile(join(root, CONFIG_FILE)) as { paths?: unknown } | null;
  const pkg = readJsonFile(join(root, PACKAGE_JSON)) as Record<string, unknown> | null;
  const fromPackage = pkg && typeof pkg === 'object' && 'agentSessions' in pkg ? (pkg.agentSessions as { paths?: unknown } | null) : undefined;
  if (file !== null && fromPackage !== undefined) return undefined; // configured twice: the CLI refuses
  const config = file ?? fromPackage ?? {};
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return undefined;
  return layoutPathsOf(config.paths);
}

/** The commits of a shallow clone without their parents (walk-plan.ts's shallowCommits). */
function shallowCommits(root: string): string[] {
  // the git dir's only, never the work tree's (see walk-plan.ts's shallowDir)
  const gitDir = commonDirOf(gitDirOf(root));
  let text: string;
  try {
    text = readFileSync(join(existsSync(gitDir) ? gitDir : root, 'shallow'), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line));
}

/** The adoption search's last record (findAdoption): the adoption commit and its parents, or undefined. */
function adoptionOf(stdout: string): { sha: string; parents: string[] } | undefined {
  let last: string | undefined;
  for (const line of stdout.split('\n')) if (line && !line.startsWith('commit ')) last = line;
  return last === undefined ? undefined : adoptionRecord(last);
}

/** Starts the check's first git processes (see above). Never throws. */
export function startCheckEarly(options: { all: boolean; cwd?: string }): void {
  try {
    if (DISCOVERY.some((name) => process.env[name] !== undefined)) return;
    const root = topLevel(resolve(options.cwd ?? '.'));
    if (root === undefined) return;
    // The environment the check's git processes see: the CLI's main() and its check loader
    // (src/cli.ts) set these before the walk runs; streamingEnv adds GIT_FLUSH for logs.
    const env = { ...process.env };
    noPromptUnlessInteractive(env);
    env.GIT_NO_REPLACE_OBJECTS = '1';
    const streaming = { ...env, GIT_FLUSH: '0' };
    if (options.all) {
      const layout = checkoutLayout(root);
      if (layout) {
        const shallow = shallowCommits(root).map((id) => `^${id}`);
        // resolveRange: `--all` walks HEAD; planWalk puts the shallow boundary before it.
        startGitEarly(['rev-list', '--first-parent', '--format=%H %P', 'HEAD', '--', layout.sessionsDir, layout.lockPath], {
          cwd: root,
          env: streaming,
          then: (stdout) => {
            const adoption = adoptionOf(stdout);
            if (adoption) startGitEarly(['rev-list', '--parents', beforeAdoption(adoption.sha, adoption.parents), ...shallow, 'HEAD', '--'], { cwd: root, env: streaming, read: true });
          },
        });
      }
    }
    startGitEarly(['cat-file', '--batch'], { cwd: root, env });
    startGitEarly(historyLogArgs(), { cwd: root, env: streaming });
  } catch {
    /* nothing (more) started early: the walk starts its own processes */
  }
}
