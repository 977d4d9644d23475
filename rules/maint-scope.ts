// maint-scope: a `[maint]` commit (the maintainer prefix, commit.maintainerPrefix) is work that
// belongs to no session: adopting the package, upgrading its templates and _bin/, repository
// chores. It gives no extra rights (PROTOCOL.md), so it writes no session's files: nothing
// inside `<sessions>/<state>/<slug>/` is added, changed, removed, or renamed in or out. A
// session's folder changes only through that session's own `[<slug>]` commits and the verbs'
// transitions, which carry its slug. What `init`'s adoption commit and an upgrade write is
// outside every session's folder (the state folders' `.gitkeep`, `_templates/`, `_bin/`, the
// README, the lock file), so they pass. Canonical knowledge and learnings are kb-canonical's,
// an active session's `.session-env` and lock line protected-state's.
// staged-scope cannot see a [maint] commit (pre-commit runs before the message exists), so
// this rule judges the staged changes at commit-msg, and every commit in history. A merge
// being concluded at commit time is judged when pushed; in history, a merge that need be legal
// against one parent only leaves out what it takes unchanged from another (as kb-canonical).
import type { Facts, Rule, RuleReport } from '../src/engine/types.ts';
import { changesUnder, classifyPath } from '../src/engine/paths.ts';
import { classifyMessage } from '../src/message/header.ts';

const NOTHING_TAKEN: ReadonlySet<string> = new Set();

/** True for a [maint] message, read as message-format reads it (a BOM or blank lines before the header included). */
function isMaint(facts: Facts): boolean {
  if (facts.message === undefined) return false;
  const form = classifyMessage(facts.message);
  return (form.form === 'prefixed' || form.form === 'override') && form.prefix === facts.config.commit.maintainerPrefix;
}

/** One report per session whose folder the commit writes, leaving out the paths in `taken`. */
function judge(facts: Facts, taken: ReadonlySet<string>): RuleReport[] {
  const bySlug = new Map<string, string[]>();
  for (const change of facts.changes) {
    for (const path of [change.from, change.path]) {
      if (path === undefined || taken.has(path)) continue;
      const c = classifyPath(path, facts.config);
      if (c.kind !== 'session') continue;
      const paths = bySlug.get(c.slug);
      if (!paths) bySlug.set(c.slug, [path]);
      else if (!paths.includes(path)) paths.push(path);
    }
  }
  const maint = facts.config.commit.maintainerPrefix;
  const reports: RuleReport[] = [];
  for (const [slug, paths] of bySlug) {
    const shown = paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', ');
    const owner = `a session's files change only in its own [${slug}] commits and through the verbs (agent-sessions new, ready, claim, complete, abandon, cancel)`;
    const sha = facts.commit?.sha.slice(0, 12);
    // A merge (a pull request merged with a merge commit) brings the session's changes from
    // its other side: named by that session's header, or from a branch up to date with the
    // guarded branch (then only its tip is judged against), it writes nothing of its own.
    const merge = facts.commit !== undefined && facts.commit.parents.length > 1;
    const redo = merge
      ? `make merge ${sha} again with the session's header (git merge -m "[${slug}] <type>: <description>"; a pull request: its title), or once its branch is up to date with ${facts.config.git.mainBranch}`
      : `drop those changes from commit ${sha} (git rebase -i ${sha}^)`;
    reports.push({
      message: `a [${maint}] ${merge ? 'merge' : 'commit'} writes the files of session ${slug} (${shown}); [${maint}] commits may not write any session's files`,
      fix: sha ? `${redo}; ${owner}` : `git restore --staged -- ${paths.join(' ')}; ${owner}`,
      path: paths[0]!,
    });
  }
  return reports;
}

export const rule: Rule = {
  meta: {
    id: 'maint-scope',
    description: "a [maint] commit that writes a session's files (adds, changes, removes or renames anything inside <sessions>/<state>/<slug>/)",
    defaultSeverity: 'error',
    runsAt: ['commit-msg', 'pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    if (facts.merging || !isMaint(facts)) return [];
    if (!changesUnder(facts.changes, `${facts.config.paths.sessions}/`)) return [];
    if (facts.commit?.anyParent && facts.takenFromOtherParent) return facts.takenFromOtherParent().then((taken) => judge(facts, taken));
    return judge(facts, NOTHING_TAKEN);
  },
};

export default rule;
