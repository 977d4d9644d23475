// session-md-readonly: SESSION.md is the contract a session was claimed under. Once the
// session is active (and after it completes) nobody edits it, except
//   - an `[<slug>] OVERRIDE: <reason>` commit of that session, and
//   - the completion commit (active -> completed), which may only APPEND final notes, to
//     SESSION.md as the main had it or as the OVERRIDE commits it squashes left it: it
//     names them in `Override: <sha> <reason>` trailers and the text they left by its git
//     blob id (`Override-Session-md: <id>`); exactly that text is accepted, nothing else.
// Claiming (planned -> active) must move it byte-identical. Needs the message, so it runs
// at commit-msg (pre-commit runs before the message exists) and in history.
import type { Facts, Rule, RuleReport } from '../src/engine/types.ts';
import type { Config } from '../src/config.ts';
import { under } from '../src/engine/paths.ts';
import { classifyMessage } from '../src/message/header.ts';
import { isSlug } from '../src/slug.ts';
import { isState, LOCKED_STATES, type SessionState } from '../src/states.ts';

function overrideSlug(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  const form = classifyMessage(message);
  return form.form === 'override' && form.reason !== '' ? form.prefix : undefined;
}

/** The SESSION.md blob id a completion commit declares its OVERRIDE commits left, if it does. */
function declaredOverride(message: string | undefined): string | undefined {
  if (message === undefined || !/^Override: [0-9a-f]{7,64} /m.test(message)) return undefined;
  return /^Override-Session-md: ([0-9a-f]{40}|[0-9a-f]{64})$/m.exec(message)?.[1];
}

/** git's id of a blob holding `text` (SHA-1, or SHA-256 for a 64-digit id). */
function blobId(text: string, like: string): string {
  const body = Buffer.from(text, 'utf8');
  // crypto is loaded only when an OVERRIDE'd completion is judged, not by every hook's start
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash(like.length === 64 ? 'sha256' : 'sha1').update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body])).digest('hex');
}

/** True when `text` is the declared blob, or the declared blob plus final notes appended. */
function isDeclaredPlusNotes(text: string, declared: string): boolean {
  if (blobId(text, declared) === declared) return true;
  for (let at = text.indexOf('\n## Final notes ('); at !== -1; at = text.indexOf('\n## Final notes (', at + 1)) {
    if (blobId(text.slice(0, at), declared) === declared || blobId(text.slice(0, at - 1), declared) === declared) return true;
  }
  return false;
}

const SESSION_MD = '/SESSION.md';
const FILE_MODES: ReadonlySet<string> = new Set(['100644', '100755']);

/**
 * The slug whose SESSION.md `path` is (`<sessions>/<state>/<slug>/SESSION.md`, the path
 * classifyPath calls a session's SESSION.md), else undefined. Read off by position: a history
 * check meets a SESSION.md in most commits that move a session.
 */
export function sessionMdSlug(path: string | undefined, config: Config): string | undefined {
  if (path === undefined || !path.endsWith(SESSION_MD)) return undefined;
  const { sessions, lockFile, worktrees, clones } = config.paths;
  if (path.charCodeAt(sessions.length) !== 0x2f || !path.startsWith(sessions)) return undefined;
  const stateEnd = path.indexOf('/', sessions.length + 1);
  const slugEnd = path.length - SESSION_MD.length;
  // Exactly <state>/<slug>/SESSION.md below the sessions folder.
  if (stateEnd === -1 || path.indexOf('/', stateEnd + 1) !== slugEnd) return undefined;
  if (!isState(path.slice(sessions.length + 1, stateEnd))) return undefined;
  const slug = path.slice(stateEnd + 1, slugEnd);
  if (!isSlug(slug)) return undefined;
  // classifyPath tells the lock file, the worktrees and the clones folders before the sessions folder.
  if (path === lockFile || under(path, worktrees) !== undefined || under(path, clones) !== undefined) return undefined;
  return slug;
}

function sessionMdPath(facts: Facts, state: SessionState, slug: string): string {
  return `${facts.config.paths.sessions}/${state}/${slug}/SESSION.md`;
}

export const rule: Rule = {
  meta: {
    id: 'session-md-readonly',
    description: 'SESSION.md of an active or completed session never changes, except in an `[<slug>] OVERRIDE: <reason>` commit and as notes appended by the completion commit',
    defaultSeverity: 'error',
    runsAt: ['commit-msg', 'pre-push', 'check', 'pre-receive'],
  },
  check(facts) {
    // Which sessions' SESSION.md does this commit touch (either side of a move)?
    // Only paths ending in /SESSION.md can be one: most commits touch none and cost a
    // suffix test per path.
    let touched: Map<string, string> | undefined;
    // Slugs whose SESSION.md the commit turns into something other than a file: a gitlink
    // with the blob's own id reads back as the same text, and checks out as an empty folder.
    let notAFile: Set<string> | undefined;
    const changes = facts.changes;
    for (let i = 0; i < changes.length; i++) {
      const change = changes[i]!;
      for (let side = 0; side < 2; side++) {
        const path = side === 0 ? change.from : change.path;
        const slug = sessionMdSlug(path, facts.config);
        if (slug === undefined) continue;
        if (!touched?.has(slug)) (touched ??= new Map()).set(slug, path!);
        if (side === 1 && change.status !== 'D' && change.mode !== undefined && !FILE_MODES.has(change.mode)) (notAFile ??= new Set()).add(slug);
      }
    }
    if (touched === undefined) return [];
    const override = overrideSlug(facts.message);
    const reports: RuleReport[] = [];
    for (const [slug, path] of touched) {
      const was = facts.before.states.get(slug);
      const now = facts.after().states.get(slug);
      if (was === undefined) continue;
      const claim = was === 'planned' && now === 'active';
      if (!claim && !LOCKED_STATES.includes(was)) continue;
      const oldText = facts.readBefore(sessionMdPath(facts, was, slug));
      const newText = now === undefined || notAFile?.has(slug) ? undefined : facts.readAfter(sessionMdPath(facts, now, slug));
      if (oldText !== undefined && newText === oldText) continue;
      if (claim) {
        reports.push({
          message: `claiming ${slug} must move its SESSION.md unchanged (planned -> active), but the content differs`,
          fix: `put the planned text back: git checkout HEAD -- ${sessionMdPath(facts, 'planned', slug)} and redo the claim with agent-sessions claim ${slug}`,
          path,
        });
        continue;
      }
      if (override === slug) continue;
      const completing = was === 'active' && now === 'completed';
      if (completing && oldText !== undefined && newText !== undefined && newText.startsWith(oldText)) continue;
      const declared = completing ? declaredOverride(facts.message) : undefined;
      if (declared && newText !== undefined && isDeclaredPlusNotes(newText, declared)) continue;
      const gone = newText === undefined && !notAFile?.has(slug);
      if (completing) {
        reports.push({
          message: `the completion of ${slug} changes its SESSION.md beyond appended notes${declared ? ' and the text its Override-Session-md trailer names' : ''}`,
          fix: `build the completion with \`agent-sessions complete ${slug}\`: it carries the session's [${slug}] OVERRIDE commits (named in Override trailers) and appends --notes`,
          path,
        });
        continue;
      }
      reports.push({
        message: `SESSION.md of ${was} session ${slug} is read-only${gone ? ' and may not be removed' : notAFile?.has(slug) ? ' and may not be replaced by a gitlink or link' : ''}`,
        fix: `undo it: git restore --staged --worktree --source=HEAD -- ${path}; write notes in worklog.md, or if SESSION.md really must change commit it alone as: [${slug}] OVERRIDE: <reason>`,
        path,
      });
    }
    return reports;
  },
};

export default rule;
