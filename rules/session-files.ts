// session-files: a session's commit writes its own session's files, no other session's. A
// `[<slug>]` commit may add, change, remove or rename files inside `<sessions>/<state>/<slug>/`
// of its own slug only: another session's worklog, plan or patch changes only in that
// session's own commits (docs/SECURITY.md). staged-scope refuses it at commit time; this rule
// judges history (pre-push, check, the hub), where a `--no-verify` commit, or a completion
// squash carrying what its branch wrote, would otherwise land it on main. One write of another
// session is the protocol's: the completion commit plans the kb merge session
// (`planned/kb-<date>-merge-…/SESSION.md`), a session new in that commit. `[maint]` commits
// are maint-scope's; canonical knowledge and learnings kb-canonical's. A merge leaves out what
// it takes unchanged from another parent, on the guarded branch too: those paths were written
// by that side's own commits, judged on their own (a `git pull` of main into a session branch;
// a pull request merged into main from a branch behind it).
import type { Facts, Rule, RuleReport } from '../src/engine/types.ts';
import { changesUnder, classifyPath, isKbSlug } from '../src/engine/paths.ts';
import { classifyMessage } from '../src/message/header.ts';
import { isSlug } from '../src/slug.ts';

const NOTHING_TAKEN: ReadonlySet<string> = new Set();

/** The slug of a `[<slug>]` (or OVERRIDE) message, if any. */
function slugOf(facts: Facts): string | undefined {
  if (facts.message === undefined) return undefined;
  const form = classifyMessage(facts.message);
  return (form.form === 'prefixed' || form.form === 'override') && isSlug(form.prefix) ? form.prefix : undefined;
}

/** The SESSION.md of a kb merge session planned in this very commit (what `complete` adds beside the archive). */
function plannedHere(facts: Facts, c: { state: string; slug: string; file: string }, status: string): boolean {
  return status === 'A' && c.state === 'planned' && c.file === 'SESSION.md' && isKbSlug(c.slug) && facts.before.states.get(c.slug) === undefined;
}

function judge(facts: Facts, own: string, taken: ReadonlySet<string>): RuleReport[] {
  const bySlug = new Map<string, string[]>();
  for (const change of facts.changes) {
    for (const path of [change.from, change.path]) {
      if (path === undefined || taken.has(path)) continue;
      const c = classifyPath(path, facts.config);
      if (c.kind !== 'session' || c.slug === own) continue;
      if (path === change.path && plannedHere(facts, c, change.status)) continue;
      const paths = bySlug.get(c.slug);
      if (!paths) bySlug.set(c.slug, [path]);
      else if (!paths.includes(path)) paths.push(path);
    }
  }
  const sha = facts.commit!.sha.slice(0, 12);
  return [...bySlug].map(([slug, paths]) => ({
    message: `a [${own}] commit writes the files of session ${slug} (${paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', ')}); a session writes only its own folder`,
    fix: `drop those changes from commit ${sha} (git rebase -i ${sha}^); session ${slug}'s files change only in its own [${slug}] commits and through the verbs`,
    path: paths[0]!,
  }));
}

export const rule: Rule = {
  meta: {
    id: 'session-files',
    description: "a session's commit that writes another session's files (inside <sessions>/<state>/<other-slug>/), but for the kb merge session a completion plans",
    defaultSeverity: 'error',
    runsAt: ['pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    if (facts.commit === undefined) return [];
    if (!changesUnder(facts.changes, `${facts.config.paths.sessions}/`)) return [];
    const own = slugOf(facts);
    if (own === undefined) return [];
    const reports = judge(facts, own, NOTHING_TAKEN);
    // A merge, on the guarded branch too, leaves out what it takes unchanged from another parent:
    // a pull request merged from a branch behind main brings, against that branch, every other
    // session's move main made meanwhile, each judged in its own commit. Asked only when needed.
    if (reports.length === 0 || facts.commit.parents.length < 2 || !facts.takenFromOtherParent) return reports;
    return facts.takenFromOtherParent().then((taken) => judge(facts, own, taken));
  },
};

export default rule;
