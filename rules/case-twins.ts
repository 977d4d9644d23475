// case-twins: a path that names a layout path with other letter case (`_AGENTS/Knowledge/x`,
// `_AGENTS/Sessions/active/<slug>/SESSION.md`, `sessions.LOCK`, a `session.md` beside
// SESSION.md) is, to git and to every rule, some other path; on a case-insensitive checkout
// (macOS, Windows) it lands on the layout path itself, past the rules that guard it. Refused
// where it is added or renamed in. Guarded: the sessions folder, its `_bin/` and
// `_templates/`, the knowledge folder and its `sessions/`, the lock file, and the files a
// session folder holds. (A state folder spelled in other case is lifecycle's finding.)
import type { Facts, Rule, RuleReport } from '../src/engine/types.ts';
import { foldedUnder, layoutRoots } from '../src/engine/paths.ts';
import { isSlug } from '../src/slug.ts';
import { isState } from '../src/states.ts';

/** The files a session folder holds (and `<slug>.patch`), compared without case. */
const SESSION_FILES = ['SESSION.md', 'worklog.md', 'active-plan.md', 'subsessions.md', '.session-env', 'drift.md'];

interface Guarded {
  exact: string;
  lower: string;
}

function guardedPaths(facts: Facts): Guarded[] {
  const { sessions, knowledge } = facts.config.paths;
  return [...layoutRoots(facts.config), `${sessions}/_bin`, `${sessions}/_templates`, `${knowledge}/sessions`].map((exact) => ({ exact, lower: exact.toLowerCase() }));
}

/** The guarded path `path` folds onto without spelling it byte for byte, if any. */
function twinOf(path: string, guarded: readonly Guarded[]): string | undefined {
  for (const { exact, lower } of guarded) {
    if (foldedUnder(path, exact, lower) && !path.startsWith(exact)) return exact;
  }
  return undefined;
}

/** The session file `path` (`<sessions>/<state>/<slug>/<name>`) folds onto, if it is a twin of one. */
function sessionFileTwin(path: string, sessionsPrefix: string): string | undefined {
  if (!path.startsWith(sessionsPrefix)) return undefined;
  const parts = path.slice(sessionsPrefix.length).split('/');
  if (parts.length !== 3 || !isState(parts[0]!) || !isSlug(parts[1]!)) return undefined;
  const name = parts[2]!;
  const lower = name.toLowerCase();
  for (const fixed of [...SESSION_FILES, `${parts[1]}.patch`]) {
    if (name !== fixed && lower === fixed.toLowerCase()) return `${sessionsPrefix}${parts[0]}/${parts[1]}/${fixed}`;
  }
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'case-twins',
    description: 'a path added that names a layout path (sessions and knowledge folders, lock file, a session folder\'s files) in other letter case',
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
      guarded ??= guardedPaths(facts);
      const root = twinOf(path, guarded);
      const meant = root !== undefined ? `${root}${path.slice(root.length)}` : sessionFileTwin(path, sessionsPrefix);
      if (meant === undefined) continue;
      reports.push({
        message: `${path} differs from the layout path ${meant} only in letter case; a case-insensitive checkout (macOS, Windows) puts it there, past the rules that guard ${root ?? 'it'}`,
        fix: facts.commit
          ? `rewrite the commit with the exact name (git mv -- ${path} ${meant}) or without the file (git rm --cached -q -- ${path}), then push again`
          : `git mv -- ${path} ${meant} to use the exact name, or git rm --cached -q -- ${path}`,
        path,
      });
    }
    return reports;
  },
};

export default rule;
