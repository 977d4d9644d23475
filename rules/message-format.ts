// message-format: every commit says which session it belongs to, as
// `[<slug>] <type>(<scope>)?!?: <description>` (types and header length from config.commit),
// `[<slug>] OVERRIDE: <reason>`, or `[<maint>] <type>: <description>` outside any session.
// At commit time the slug must be the current session's (or, outside a session, name one
// that exists); in history it must name a session that exists before or after the commit.
// git's merge, revert and fixup!/squash!/amend! messages are allowed off main (they are
// squashed away at completion) and refused on main.
import type { Facts, Rule, RuleReport, SessionsSnapshot } from '../src/engine/types.ts';
import { lintMessage, type HeaderProblem } from '../src/message/commitlint.ts';
import { classifyMessage, suggestHeader, type MessageForm } from '../src/message/header.ts';
import { slugProblem } from '../src/slug.ts';
import { withoutPrefix, type TeamLint } from '../src/message/team-commitlint.ts';

/** True when the commit lands on main: its branch at commit time, `onMain` in history. */
function landsOnMain(facts: Facts): boolean {
  if (facts.commit) return facts.commit.onMain;
  return facts.currentSession === undefined && facts.branch === facts.config.git.mainBranch;
}

function sessionExists(facts: Facts, slug: string): boolean {
  return facts.before.states.has(slug) || facts.after().states.has(slug);
}

function report(text: string, fix: string): RuleReport[] {
  return [{ message: text, fix }];
}

function recommit(header: string): string {
  return `commit again with the header: ${header}`;
}

/** The team's commitlint rules (their config), run on the message without `[<prefix>] `. */
async function teamVerdict(teamLint: TeamLint, message: string, header: string, prefix: string, sha: string | undefined): Promise<RuleReport[]> {
  const problems = await teamLint(withoutPrefix(message));
  if (problems.length === 0) return [];
  const accepted = `a message those rules accept, keeping the "[${prefix}] " prefix in front (\`echo "<header without the prefix>" | npx commitlint\` tries one)`;
  return [
    {
      message: `the repository's commitlint config refuses "${header}": ${problems.map((p) => `${p.message} [${p.name}]`).join('; ')}`,
      // In history the commit exists already: it is reworded, not made again.
      fix: sha ? `reword commit ${sha.slice(0, 12)} (git rebase -i ${sha.slice(0, 12)}^, mark it "reword") with ${accepted}` : `commit again with ${accepted}`,
    },
  ];
}

/**
 * In history, a commit whose lock file entries change is a transition (claim, complete,
 * abandon, cancel, take-over): agent-sessions writes its message (fixed header, a squash's
 * list of commits, trailers), not a person. The team's commitlint rules are for the messages
 * people and agents write. Only a change of the entries counts (a blank line added to the
 * lock file does not), and those are judged by lifecycle and protected-state, which refuse
 * any entry change that is not a legitimate transition.
 */
function writtenByTransition(facts: Facts): boolean {
  if (!facts.commit) return false;
  const lock = facts.config.paths.lockFile;
  if (!facts.changes.some((change) => change.path === lock || change.from === lock)) return false;
  const entries = (snapshot: SessionsSnapshot) => (snapshot.lock ?? []).map((entry) => `${entry.slug}:${entry.claimedAt}`).join('\n');
  return entries(facts.before) !== entries(facts.after());
}

export const rule: Rule = {
  meta: {
    id: 'message-format',
    description: 'commit headers are `[<slug>] <type>: <description>` naming the current (or an existing) session, or `[maint] <type>: ...` outside sessions',
    defaultSeverity: 'error',
    runsAt: ['commit-msg', 'pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    const message = facts.message;
    if (message === undefined) return [];
    const { types, maintainerPrefix, headerMaxLength } = facts.config.commit;
    const current = facts.currentSession;
    const slugHint = current ?? '<slug>';
    const form: MessageForm = classifyMessage(message);

    switch (form.form) {
      case 'empty':
        return report('the commit message is empty', recommit(`[${slugHint}] <type>: <what this commit does>`));
      case 'merge':
      case 'revert':
      case 'autosquash': {
        if (!landsOnMain(facts)) return [];
        const what = form.form === 'merge' ? 'a merge commit' : form.form === 'revert' ? `a ${form.header.split(' ')[0]} commit` : `a ${form.kind}! commit`;
        const fix =
          form.form === 'merge'
            ? 'keep main linear: undo the merge (git merge --abort, or git reset --merge ORIG_HEAD) and use git pull --rebase'
            : recommit(suggestHeader(form.form === 'revert' ? (/^\[([^\]]+)\]/.exec(form.reverted)?.[1] ?? slugHint) : slugHint, form.header, types));
        return report(`${what} ("${form.header}") may not land on ${facts.config.git.mainBranch}; only [<slug>] and [${maintainerPrefix}] headers may`, fix);
      }
      case 'unprefixed': {
        const prefix = current ?? (landsOnMain(facts) ? maintainerPrefix : slugHint);
        return report(`the header "${form.header}" does not start with [<slug>]`, recommit(suggestHeader(prefix, form.header, types)));
      }
      default:
        break;
    }

    const prefix = form.prefix;
    if (prefix === maintainerPrefix) {
      if (current) return report(`[${maintainerPrefix}] commits are for work outside sessions, but this commit is in session ${current}`, recommit(suggestHeader(current, form.header, types)));
    } else {
      const problem = slugProblem(prefix);
      if (problem) {
        return report(`"[${prefix}]" is neither a session slug nor [${maintainerPrefix}]: ${problem}`, recommit(suggestHeader(current ?? maintainerPrefix, form.header, types)));
      }
      if (current !== undefined && prefix !== current) {
        return report(`the header names session ${prefix}, but this commit is in session ${current}`, recommit(suggestHeader(current, form.header, types)));
      }
      if (current === undefined && !sessionExists(facts, prefix)) {
        return report(`the header names session ${prefix}, which does not exist`, `use the slug of an existing session (agent-sessions status), or [${maintainerPrefix}] for work outside sessions`);
      }
    }

    if (form.form === 'override') {
      if (prefix === maintainerPrefix) return report('OVERRIDE belongs to a session, not to maintainer commits', `commit again with: [<slug>] OVERRIDE: <reason>`);
      if (form.reason === '') return report('an OVERRIDE commit must give its reason', recommit(`[${prefix}] OVERRIDE: <why SESSION.md must change>`));
      if (form.header.length > headerMaxLength) return report(`the header is ${form.header.length} characters long; at most ${headerMaxLength} are allowed`, 'shorten the reason; put details in the body');
      return [];
    }

    // History may hold CR or CRLF messages (the hook's cleanup never ran on them); `.` stops at
    // \r, so line ends are normalised first, and blank leading lines dropped. Only the header
    // is linted: the common case (no \r, no leading blank) skips both rewrites.
    const clean = message.includes('\r') || /^\s/.test(message) ? message.replace(/\r\n?/g, '\n').replace(/^(?:\s*\n)+/, '') : message;
    // config.commit holds the types and the header length (no settings object per commit).
    const problems = lintMessage(clean, facts.config.commit);
    // Synchronous once the parser is loaded: a history check lints thousands of headers.
    return Array.isArray(problems) ? verdict(facts, problems, clean, form.header, prefix) : problems.then((found) => verdict(facts, found, clean, form.header, prefix));
  },
};

/** What the header grammar's problems (and, when it has none, the team's rules) make of a message. */
function verdict(facts: Facts, found: HeaderProblem[], clean: string, header: string, prefix: string): RuleReport[] | Promise<RuleReport[]> {
  if (found.length === 0) return facts.teamLint && !writtenByTransition(facts) ? teamVerdict(facts.teamLint, clean, header, prefix, facts.commit?.sha) : [];
  const first = found.find((p) => p.name === 'header-max-length');
  if (first) return report(first.message.replace(/^header/, 'the header'), 'shorten the description; put details in the body');
  const { types } = facts.config.commit;
  return report(
    `the header "${header}" is not [${prefix}] <type>(<scope>)?: <description> (${found.map((p) => p.message).join('; ')})`,
    `${recommit(suggestHeader(prefix, header, types))}  (types: ${types.join(' ')})`,
  );
}

export default rule;
