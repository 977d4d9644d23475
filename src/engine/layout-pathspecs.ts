// The pathspecs that hold everything a history rule can look at: the guarded folders (sessions,
// knowledge, lock file, worktrees, clones), every folder above them, the config file and
// package.json. The history walk asks git for the changes under these alone: a commit that
// changes nothing there is judged by its message and author, and git's tree diff skips the
// rest of the tree (on a real repository, most of each commit's changes).
//
// A superset is safe, a subset is not. The rules compare some paths without case (no-symlinks:
// macOS and Windows check `_agents/X` out into `_AGENTS/`), with JavaScript's toLowerCase, which
// folds the Kelvin sign (U+212A) to "k" and "İ" (U+0130) to "i" and U+0307; git's `icase`
// folds ASCII only. So a name holding "k" or anything outside ASCII becomes a glob with `*` in
// those places (and, once it is a glob, in place of "i"), which matches what toLowerCase would
// fold and more. Paths come from the config (hostile): every pathspec carries its magic
// explicitly (`glob`, the name escaped).
//
// Every outermost path is one name at the top of the tree (its folders above are in the
// list), and each gets two pathspecs: the name (the file, link or folder, and everything under
// a folder), and `<name>/**`. The second one is for a tree entry whose own name holds "/"
// (`_AGENTS/sessions/x` at the top): a plain pathspec never matches such a file, git's
// tree diff prints it at `_AGENTS/sessions/x` when it prints it, and a checkout writes it
// there; a bare hub stores such a tree as pushed (fsck only warns about the name).
import type { Config } from '../config.ts';
import { CONFIG_FILE } from '../config-file.ts';
import { PACKAGE_JSON } from '../policy/paths.ts';
import { guardedRoots } from './paths.ts';

/** Each path and every folder above it. */
function withAncestors(paths: readonly string[]): string[] {
  const out = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('/'));
  }
  return [...out];
}

/** Drops the paths that lie under another path of the list (its pathspec covers them). */
function outermost(paths: readonly string[]): string[] {
  const lower = paths.map((p) => p.toLowerCase());
  return paths.filter((_, i) => !lower.some((other, j) => j !== i && (lower[i]!.startsWith(`${other}/`) || (other === lower[i] && j < i))));
}

/** Characters git's icase cannot be trusted to fold as toLowerCase does. */
const UNFOLDED = /[kK]|[^\x00-\x7f]/u;
/**
 * In a name that holds one of those: "i" too, which toLowerCase makes (with U+0307) of "İ"; a
 * name in ASCII without "k" has no U+0307 to match that with.
 */
const UNFOLDED_IN_GLOB = /[kKiI]|[^\x00-\x7f]/u;

/** The pathspecs for one top-level name and everything under it, without case. */
function pathspecsOf(path: string): string[] {
  const folds = UNFOLDED.test(path);
  let glob = '';
  for (const char of path) glob += folds && UNFOLDED_IN_GLOB.test(char) ? '*' : /[*?[\]\\]/.test(char) ? `\\${char}` : char;
  return [`:(glob,icase)${glob}`, `:(glob,icase)${glob}/**`];
}

/** The pathspecs of what the history rules read (see the header). */
export function layoutPathspecs(config: Pick<Config, 'paths'>): string[] {
  const paths = outermost(withAncestors([...guardedRoots(config), CONFIG_FILE, PACKAGE_JSON]));
  return paths.flatMap(pathspecsOf);
}

/** The variables (and the global options that set them) that change how git reads pathspecs. */
const PATHSPEC_OVERRIDES = ['GIT_LITERAL_PATHSPECS', 'GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_ICASE_PATHSPECS'];

/**
 * The environment for a git that reads the layout pathspecs: without the overrides above, which
 * would read `:(glob,icase)_AGENTS` as a file of that name and hide every change from the
 * rules (`GIT_LITERAL_PATHSPECS=1` in a CI job or a hook's environment; `git
 * --literal-pathspecs push` sets it for pre-push and, through a local push, for the hub's
 * receive-pack and pre-receive).
 */
export function pathspecEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const out = { ...(env ?? process.env) };
  for (const name of PATHSPEC_OVERRIDES) delete out[name];
  return out;
}
