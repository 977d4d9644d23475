// case-twins: a path that names a layout path with other letter case (`_AGENTS/Knowledge/x`,
// `_AGENTS/Sessions/active/<slug>/SESSION.md`, `sessions.LOCK`, a `session.md` beside
// SESSION.md) is, to git and to every rule, some other path; on a case-insensitive checkout
// (macOS, Windows) it lands on the layout path itself, past the rules that guard it. Refused
// where it is added or renamed in. Guarded: the sessions folder, its `_bin/` and
// `_templates/`, the knowledge folder and its `sessions/`, the lock file, the files a
// session folder holds, and the policy files at the root (agent-sessions.config.json,
// package.json: `agent-ſessions.config.json` sorts after the real one, so such a checkout
// writes it last, and every teammate loads a config the hub never validated). (A state folder
// spelled in other case is lifecycle's finding.)
import type { Facts, Rule, RuleReport } from '../src/engine/types.ts';
import { exactlyUnder, foldedRest, foldPart, foldPath, layoutRoots, SESSION_FILES } from '../src/engine/paths.ts';
import { shellQuote } from '../src/sessions.ts';
import { CONFIG_FILE } from '../src/config-file.ts';
import { PACKAGE_JSON } from '../src/policy/paths.ts';
import { isSlug } from '../src/slug.ts';
import { isState } from '../src/states.ts';

/** The files a session folder holds (and `<slug>.patch`), compared without case. */
const SESSION_FILES_FOLDED = SESSION_FILES.map((name) => ({ name, folded: foldPart(name) }));

/** A path as one shell word: as it is when it needs no quoting (a twin may end in a space). */
const word = (path: string): string => (/^[\w./@%+=:,-]+$/.test(path) ? path : shellQuote(path));

/** How a twin differs: in letter case alone, or in more that such a file system ignores. */
const spelling = (path: string, meant: string): string =>
  path.toLowerCase() === meant.toLowerCase() ? 'only in letter case' : 'only in what a case-insensitive file system ignores (letter case, Unicode form, trailing dots and spaces)';

interface Guarded {
  exact: string;
  folded: string;
}

/** Per config: a walk judges thousands of commits under one. */
const guardedByConfig = new WeakMap<Facts['config'], Guarded[]>();

function guardedPaths(config: Facts['config']): Guarded[] {
  let guarded = guardedByConfig.get(config);
  if (guarded === undefined) {
    const { sessions, knowledge } = config.paths;
    guarded = [...layoutRoots(config), `${sessions}/_bin`, `${sessions}/_templates`, `${knowledge}/sessions`, CONFIG_FILE, PACKAGE_JSON].map((exact) => ({ exact, folded: foldPath(exact) }));
    guardedByConfig.set(config, guarded);
  }
  return guarded;
}

/** The layout path `path` folds onto without spelling it byte for byte, if any. */
function twinOf(path: string, guarded: readonly Guarded[]): { root: string; meant: string } | undefined {
  for (const { exact, folded } of guarded) {
    if (exactlyUnder(path, exact)) continue;
    const rest = foldedRest(path, exact, folded);
    if (rest !== undefined) return { root: exact, meant: `${exact}${rest}` };
  }
  return undefined;
}

/**
 * The session file `path` (`<sessions>/<state>/<slug>/<name>`, or a folder of that name) folds
 * onto, if it is a twin of one: a folder `SESSION.md./` lands on SESSION.md's place too.
 */
function sessionFileTwin(path: string, sessionsPrefix: string): string | undefined {
  if (!path.startsWith(sessionsPrefix)) return undefined;
  const parts = path.slice(sessionsPrefix.length).split('/');
  if (parts.length < 3 || !isState(parts[0]!) || !isSlug(parts[1]!)) return undefined;
  const name = parts[2]!;
  const folded = foldPart(name);
  const patch = `${parts[1]}.patch`;
  for (const fixed of [...SESSION_FILES_FOLDED, { name: patch, folded: patch }]) {
    if (name !== fixed.name && folded === fixed.folded) return [`${sessionsPrefix}${parts[0]}`, parts[1], fixed.name, ...parts.slice(3)].join('/');
  }
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'case-twins',
    description: 'a path added that names a layout path (sessions and knowledge folders, lock file, a session folder\'s files, the policy files) in other letter case',
    defaultSeverity: 'error',
    runsAt: ['pre-commit', 'pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    let guarded: Guarded[] | undefined;
    const sessionsPrefix = `${facts.config.paths.sessions}/`;
    const reports: RuleReport[] = [];
    for (let i = 0; i < facts.changes.length; i++) {
      const change = facts.changes[i]!;
      if (change.status !== 'A' && change.status !== 'R' && change.status !== 'C') continue;
      const path = change.path;
      guarded ??= guardedPaths(facts.config);
      const twin = twinOf(path, guarded);
      const meant = twin?.meant ?? sessionFileTwin(path, sessionsPrefix);
      if (meant === undefined) continue;
      reports.push({
        message: `${path} differs from the layout path ${meant} ${spelling(path, meant)}; a case-insensitive checkout (macOS, Windows) puts it there, past the rules that guard ${twin?.root ?? 'it'}`,
        fix: facts.commit
          ? `rewrite the commit with the exact name (git mv -- ${word(path)} ${word(meant)}) or without the file (git rm --cached -q -- ${word(path)}), then push again`
          : `git mv -- ${word(path)} ${word(meant)} to use the exact name, or git rm --cached -q -- ${word(path)}`,
        path,
      });
    }
    return reports;
  },
};

export default rule;
