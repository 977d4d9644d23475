// Hostile shapes against the history rules' shortcuts (review of the rules' speed-up): the
// `[` fast path of classifyMessage must give what the full route gives, and the positional
// SESSION.md / policy reads must agree with classifyPath / isPolicyPath on paths and configs
// an attacker with push access can write: `//`, trailing `/`, `./`, backslashes, case
// variants, look-alike unicode (Kelvin sign, full-width brackets and low line, combining
// marks, RTL and zero-width marks), and configs whose folders are `.`, doubled or nested.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../../src/config.ts';
import { classifyPath, isSessionMd } from '../../src/engine/paths.ts';
import { classifyMessage, headerOf, type MessageForm } from '../../src/message/header.ts';
import { isPolicyPath } from '../../src/policy/paths.ts';
import { mayBePolicy } from '../../rules/policy-files.ts';
import { sessionMdSlug } from '../../rules/session-md-readonly.ts';
import { runs } from './runs.ts';

// classifyMessage before the `[` fast path, kept as the oracle.
function fullRoute(message: string): MessageForm {
  const trimmed = message.replace(/^\uFEFF/, '').replace(/^\s*\n/, '');
  if (!/\S/.test(trimmed)) return { form: 'empty' };
  const header = headerOf(trimmed.replace(/^(?:\s*\n)+/, ''));
  if (/^(?:Merge (?:branch|branches|remote-tracking branch|tag|pull request|commit|'|")|Merged (?:PR \d+|\S.* (?:in|into) )|Automatic merge|Auto-merged )/.test(header)) return { form: 'merge', header };
  const revert = /^(Revert|Reapply) "(.*)"$/.exec(header);
  if (revert) return { form: 'revert', header, reverted: revert[2]! };
  const squash = /^(fixup|squash|amend)! (.*)$/.exec(header);
  if (squash) return { form: 'autosquash', kind: squash[1] as 'fixup' | 'squash' | 'amend', header, target: squash[2]! };
  const prefixed = /^\[([^\]]*)\] ?(.*)$/.exec(header);
  if (prefixed) {
    const override = /^OVERRIDE:\s*(.*)$/.exec(prefixed[2]!);
    if (override) return { form: 'override', prefix: prefixed[1]!, reason: override[1]!.trim(), header };
    return { form: 'prefixed', prefix: prefixed[1]!, rest: prefixed[2]!, header };
  }
  return { form: 'unprefixed', header };
}

const piece = fc.constantFrom('[', ']', '[]', '[2025-01-02-a]', '[maint]', ' ', '\t', '\n', '\r', '\r\n', '\u00a0', '\u2028', '\u200b', '\u200f', '\ufeff', '\uff3b', '\uff3d', '\u212a', 'e\u0301', 'Merge branch ', 'Revert "', '"', 'fixup! ', 'squash! ', 'amend! ', 'OVERRIDE:', 'feat: x', ':', '!');
const message = fc.array(piece, { maxLength: 8 }).map((ps) => ps.join(''));

describe('classifyMessage: the `[` fast path (property)', () => {
  it('answers what the full route answers, for messages that start with `[` and those that do not', () => {
    fc.assert(
      fc.property(message, fc.boolean(), (m, bracket) => {
        const text = bracket ? `[${m}` : m;
        expect(classifyMessage(text), JSON.stringify(text)).toEqual(fullRoute(text));
      }),
      runs(3000),
    );
  });
});

const sessionsFolder = fc.constantFrom('_AGENTS/sessions', '.', 'a//b', '_AGENTS/\u212aessions', 'active', '_AGENTS/sessions/active', 'x');
const part = fc.constantFrom('', '.', '..', 'active', 'Active', '\uff41ctive', 'planned', '2025-01-02-a', '2025-01-02-\u212a', '2025-01-02-a\u0301', '\u200f2025-01-02-a', 'SESSION.md', 'SESSION.md\u200b', 'session.md', '_bin', '_templates', '\uff3fbin', '_Bin', 'a\\b', 'sessions.lock', 'x');
const hostilePath = fc
  .tuple(fc.constantFrom('', './', '/'), fc.array(part, { maxLength: 5 }), fc.constantFrom('', '/', '\\'))
  .map(([lead, parts, tail]) => lead + parts.join('/') + tail);
// Mostly <sessions>/<state>/<slug>/<file> from small hostile pools (every mix comes up), else anything.
const shapedPath = fc
  .tuple(sessionsFolder, fc.constantFrom('active', 'planned', '\uff41ctive', 'Active', '', '_bin'), fc.constantFrom('2025-01-02-a', '2025-01-02-\u212a', '2025-01-02-a\u0301', '\u200f2025-01-02-a', 'x/2025-01-02-a', ''), fc.constantFrom('SESSION.md', 'SESSION.md/', 'SESSION.md\u200b', 'x/SESSION.md', '/SESSION.md', 'SESSION.md\\'))
  .map((parts) => parts.join('/'));
const configEdit = fc.constantFrom<(c: Config, sessions: string) => void>(
  (c, s) => { c.paths.sessions = s; c.paths.lockFile = `${s}/sessions.lock`; },
  (c, s) => { c.paths.sessions = s; c.paths.lockFile = 'sessions.lock'; c.paths.worktrees = `${s}/active`; },
  (c, s) => { c.paths.sessions = s; c.paths.lockFile = `${s}/_bin/lock`; c.paths.clones = s; },
  (c, s) => { c.paths.sessions = s; c.paths.lockFile = `${s}/active/2025-01-02-a/SESSION.md`; c.paths.knowledge = s; },
);

describe('positional path reads on hostile paths and configs (property)', () => {
  it("session-md-readonly's slug is classifyPath's, and policy-files' cheap test passes every policy path", () => {
    fc.assert(
      fc.property(sessionsFolder, configEdit, fc.oneof(shapedPath, hostilePath, fc.tuple(sessionsFolder, hostilePath).map(([s, p]) => `${s}/${p}`)), (s, edit, p) => {
        const c = defaultConfig();
        edit(c, s);
        const classified = classifyPath(p, c);
        expect(sessionMdSlug(p, c), p).toBe(isSessionMd(classified) ? classified.slug : undefined);
        if (isPolicyPath(p, c)) expect(mayBePolicy(p, c.paths.sessions), p).toBe(true);
      }),
      runs(3000),
    );
  });
});
